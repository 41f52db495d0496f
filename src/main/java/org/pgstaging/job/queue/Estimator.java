package org.pgstaging.job.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.JobStore;

/**
 * Guesses durations from the last DONE jobs of the same section and kind: the median throughput
 * (dump bytes per second) applied to the job's dump size when that is known, otherwise the median
 * duration. Medians, because one restore slowed down by a busy server should not skew the rest.
 * No history, no guess.
 */
public final class Estimator {
    public static final int DEFAULT_SAMPLES = 5;

    private final JobStore store;
    private final Clock clock;
    private final int samples;

    public Estimator(JobStore store) {
        this(store, store.clock(), DEFAULT_SAMPLES);
    }

    public Estimator(JobStore store, Clock clock, int samples) {
        if (samples < 1) throw new IllegalArgumentException("the estimator needs at least 1 sample, got " + samples);
        this.store = store;
        this.clock = clock;
        this.samples = samples;
    }

    /** How long the job should take, from start to end. */
    public Optional<Duration> duration(Job job) {
        return duration(job, new HashMap<>());
    }

    /** Start and finish of what runs and waits on a server, read from the store now. */
    public List<ScheduleEstimate> schedule(String serverKey) {
        Optional<Job> running = store.inState(JobState.RUNNING).stream()
                .filter(j -> j.serverKey().equals(serverKey)).findFirst();
        return schedule(new QueueSnapshot.ServerQueue(serverKey, running, store.queued(serverKey)));
    }

    /**
     * The running job first (its start is known; its finish is never before now), then each
     * queued job starting when the one ahead should finish.
     */
    public List<ScheduleEstimate> schedule(QueueSnapshot.ServerQueue server) {
        Map<String, List<Job>> past = new HashMap<>();
        Instant now = clock.instant();
        List<ScheduleEstimate> out = new ArrayList<>();
        Optional<Instant> next = Optional.of(now);
        if (server.running().isPresent()) {
            Job r = server.running().get();
            Optional<Duration> d = duration(r, past);
            Instant started = r.startedAt() == null ? now : r.startedAt();
            Optional<Instant> finish = d.map(x -> latest(started.plus(x), now));
            out.add(new ScheduleEstimate(r, d, Optional.of(started), finish));
            next = finish;
        }
        for (Job q : server.queued()) {
            Optional<Duration> d = duration(q, past);
            Optional<Instant> start = next;
            Optional<Instant> finish = start.flatMap(s -> d.map(s::plus));
            out.add(new ScheduleEstimate(q, d, start, finish));
            next = finish;
        }
        return out;
    }

    private Optional<Duration> duration(Job job, Map<String, List<Job>> past) {
        List<Job> done = past.computeIfAbsent(job.section() + "\u0000" + job.kind(),
                k -> store.done(job.section(), job.kind(), samples));
        List<Double> bytesPerMs = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        for (Job d : done) {
            if (d.durationMs() == null || d.durationMs() <= 0) continue;
            millis.add(d.durationMs().doubleValue());
            if (d.dumpBytes() != null && d.dumpBytes() > 0) bytesPerMs.add(d.dumpBytes() / d.durationMs().doubleValue());
        }
        if (job.dumpBytes() != null && job.dumpBytes() > 0 && !bytesPerMs.isEmpty()) {
            return Optional.of(Duration.ofMillis(Math.round(job.dumpBytes() / median(bytesPerMs))));
        }
        if (!millis.isEmpty()) return Optional.of(Duration.ofMillis(Math.round(median(millis))));
        return Optional.empty();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
