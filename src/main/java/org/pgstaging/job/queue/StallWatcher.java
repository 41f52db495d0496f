package org.pgstaging.job.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.pgstaging.config.ConfigException;
import org.pgstaging.config.Section;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds RUNNING jobs with no progress for {@code stall_minutes} and tells the listener once per
 * stall: again only after the job has shown progress and then gone quiet anew.
 */
public final class StallWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StallWatcher.class);

    public static final String STALL_OPTION = "stall_minutes";
    public static final Duration DEFAULT_STALL_AFTER = Duration.ofMinutes(10);
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);

    private final JobStore store;
    private final Clock clock;
    private final Function<String, Duration> stallAfter;
    private final StallListener listener;
    /** Whose jobs to watch: each replica tells of the jobs it runs; null: every job (one process). */
    private volatile String owner;
    /** Job id -> the last sign of life it was reported stalled for. */
    private final Map<Long, Instant> reported = new HashMap<>();
    private ScheduledExecutorService timer;

    /** One threshold for all sections. */
    public StallWatcher(JobStore store, Clock clock, Duration stallAfter, StallListener listener) {
        this(store, clock, section -> stallAfter, listener);
    }

    /** A threshold per section, e.g. {@code name -> StallWatcher.stallAfter(config.section(name))}. */
    public StallWatcher(JobStore store, Clock clock, Function<String, Duration> stallAfterBySection,
                        StallListener listener) {
        this.store = store;
        this.clock = clock;
        this.stallAfter = stallAfterBySection;
        this.listener = listener;
    }

    /** Watches only the jobs {@code replica} runs, so that replicas sharing a store each tell of their own. */
    public StallWatcher onlyJobsOf(org.pgstaging.job.store.Replica replica) {
        this.owner = replica.name();
        return this;
    }

    /** The section's {@code stall_minutes} (default 10). */
    public static Duration stallAfter(Section section) {
        int minutes = section.intValue(STALL_OPTION, (int) DEFAULT_STALL_AFTER.toMinutes());
        if (minutes < 1) {
            throw new ConfigException("must be at least 1 minute, got " + minutes, null, section.name(), STALL_OPTION,
                    0, "set stall_minutes to how long a restore may stay silent before someone is told");
        }
        return Duration.ofMinutes(minutes);
    }

    /** One pass; returns the jobs newly found stalled (the listener was called for each). */
    public synchronized List<Job> check() {
        Instant now = clock.instant();
        List<Job> stalled = new ArrayList<>();
        Set<Long> running = new HashSet<>();
        String only = owner;
        for (Job job : store.inState(JobState.RUNNING)) {
            if (only != null && job.owner() != null && !only.equals(job.owner())) continue;
            running.add(job.id());
            Instant alive = job.lastSignOfLife().orElse(now);
            Duration silent = Duration.between(alive, now);
            if (silent.compareTo(stallAfter.apply(job.section())) < 0 || alive.equals(reported.get(job.id()))) {
                continue;
            }
            reported.put(job.id(), alive);
            stalled.add(job);
            try {
                listener.stalled(job, silent);
            } catch (RuntimeException e) {
                LOG.warn("stall listener failed on job #{}", job.id(), e);
            }
        }
        reported.keySet().retainAll(running);
        return stalled;
    }

    /** Checks every {@code period} on a daemon thread until closed. */
    public synchronized void start(Duration period) {
        if (timer != null) throw new IllegalStateException("the stall watcher is already started");
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgstaging-stall-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = period.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) { // a bad pass must not end the schedule
                LOG.warn("stall check failed: {}", e.getMessage(), e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }
}
