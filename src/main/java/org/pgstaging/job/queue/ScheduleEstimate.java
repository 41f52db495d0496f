package org.pgstaging.job.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.pgstaging.job.store.Job;

/**
 * When a job of a server's queue should start and finish. Empty when the history does not
 * allow a guess, for the job or for one ahead of it.
 */
public record ScheduleEstimate(Job job, Optional<Duration> duration, Optional<Instant> start,
                               Optional<Instant> finish) {
}
