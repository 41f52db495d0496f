package org.pgstaging.job.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.queue.JobEvent;
import org.pgstaging.job.queue.QueueListener;
import org.pgstaging.job.queue.QueueSnapshot;

/**
 * Gauges read from the durable queue when scraped: jobs by kind and state, and per database server
 * the jobs waiting their turn and the one running. Every server of the configuration has its gauges
 * from the start (at zero), a server first seen in a job gets them then. One scrape reads the store
 * twice at most: the readings are kept for a second.
 */
public final class QueueGauges implements QueueListener {
    private static final long FRESH_NANOS = 1_000_000_000L;

    private final MeterRegistry registry;
    private final Reading<QueueSnapshot> snapshot;
    private final Reading<Map<JobKind, Map<JobState, Long>>> counts;
    private final Set<String> servers = ConcurrentHashMap.newKeySet();

    public QueueGauges(MeterRegistry registry, Supplier<QueueSnapshot> snapshot,
                       Supplier<Map<JobKind, Map<JobState, Long>>> counts, Collection<String> serverKeys) {
        this.registry = registry;
        this.snapshot = new Reading<>(snapshot);
        this.counts = new Reading<>(counts);
        for (JobKind kind : JobKind.values()) {
            for (JobState state : JobState.values()) {
                Gauge.builder("pgstaging.jobs", this, g -> g.count(kind, state))
                        .description("Jobs in the bot's store by kind and state")
                        .tag("kind", kind.code()).tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
            }
        }
        serverKeys.forEach(this::server);
    }

    @Override
    public void jobChanged(JobEvent event) {
        server(event.job().serverKey());
    }

    private void server(String key) {
        if (!servers.add(key)) return;
        Gauge.builder("pgstaging.queue.length", this, g -> g.snapshot.get().server(key).map(s -> s.queued().size()).orElse(0))
                .description("Jobs waiting their turn on a database server (host:port)").tag("server", key).register(registry);
        Gauge.builder("pgstaging.queue.running", this, g -> g.snapshot.get().server(key).flatMap(s -> s.running()).isPresent() ? 1 : 0)
                .description("Jobs running on a database server (0 or 1)").tag("server", key).register(registry);
    }

    private double count(JobKind kind, JobState state) {
        return counts.get().getOrDefault(kind, Map.of()).getOrDefault(state, 0L);
    }

    /** The last value read, read again once it is a second old. */
    private static final class Reading<T> {
        private final Supplier<T> source;
        private T value;
        private long readAt;

        Reading(Supplier<T> source) {
            this.source = source;
        }

        synchronized T get() {
            long now = System.nanoTime();
            if (value == null || now - readAt > FRESH_NANOS) {
                value = source.get();
                readAt = now;
            }
            return value;
        }
    }
}
