package org.pgstaging.job.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.queue.JobEvent;
import org.pgstaging.job.queue.QueueListener;
import org.pgstaging.job.store.Job;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.Step;

/**
 * What the jobs that ran tell the meters: how each ended and how long it took, and the time and
 * bytes of each step of its events. A job counts once it leaves RUNNING for DONE, FAILED or
 * CANCELLED, the moments the history ends a change with the same outcome, so the counters and
 * {@code history --json} agree for the jobs of this process.
 */
public final class JobMetrics implements QueueListener {
    private static final Duration[] JOB_BUCKETS = seconds(1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200);
    private static final Duration[] STEP_BUCKETS = seconds(0.1, 0.5, 1, 5, 10, 30, 60, 300, 600, 1800, 3600, 14400);
    private static final double[] BYTE_BUCKETS = {1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12};

    private final MeterRegistry registry;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void jobChanged(JobEvent event) {
        Job job = event.job();
        if (event.previous() != JobState.RUNNING || !job.state().isFinal()) return;
        String kind = job.kind().code();
        String outcome = job.state().name().toLowerCase(Locale.ROOT);
        Counter.builder("pgstaging.jobs.finished").description("Jobs that ran, by kind and outcome (done, failed, cancelled)")
                .tag("kind", kind).tag("outcome", outcome).register(registry).increment();
        if (job.startedAt() != null && job.finishedAt() != null) {
            Timer.builder("pgstaging.job.duration").description("Wall time of the jobs that ran, start to end")
                    .tag("kind", kind).tag("outcome", outcome).serviceLevelObjectives(JOB_BUCKETS)
                    .register(registry).record(Duration.between(job.startedAt(), job.finishedAt()));
        }
    }

    /** The events of one run, seen through on their way to {@code next}: each finished step is measured. */
    public RestoreListener watching(RestoreListener next) {
        Map<Step, Long> bytes = new ConcurrentHashMap<>();
        return event -> {
            if (event instanceof RestoreEvent.StepProgress p && "bytes".equals(p.unit())) {
                bytes.merge(p.step(), p.done(), Math::max);
            } else if (event instanceof RestoreEvent.StepFinished f) {
                String step = f.step().name().toLowerCase(Locale.ROOT);
                Timer.builder("pgstaging.restore.step.duration").description("Time of each step of restores and other jobs")
                        .tag("step", step).serviceLevelObjectives(STEP_BUCKETS).register(registry).record(f.elapsed());
                Long moved = bytes.remove(f.step());
                if (moved != null) {
                    DistributionSummary.builder("pgstaging.restore.step.bytes").description("Bytes moved by a step (the dump's download)")
                            .baseUnit("bytes").tag("step", step).serviceLevelObjectives(BYTE_BUCKETS)
                            .register(registry).record(moved);
                }
            }
            next.on(event);
        };
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) d[i] = Duration.ofMillis(Math.round(values[i] * 1000));
        return d;
    }
}
