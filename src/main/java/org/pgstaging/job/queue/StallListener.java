package org.pgstaging.job.queue;

import java.time.Duration;
import org.pgstaging.job.store.Job;

/** Told once per stall: a running job said nothing for {@code silentFor}. */
@FunctionalInterface
public interface StallListener {
    void stalled(Job job, Duration silentFor);
}
