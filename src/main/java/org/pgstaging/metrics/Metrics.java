package org.pgstaging.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The bot's meters, scraped in Prometheus text format. Every name gets the {@code pgstaging.}
 * prefix (so {@code pgstaging_jvm_memory_used_bytes}), which keeps pgstaging's series apart from
 * other JVMs scraped by the same Prometheus without relabelling.
 */
public final class Metrics implements AutoCloseable {
    /** Prometheus text exposition format 0.0.4, what {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PREFIX = "pgstaging.";

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    private Metrics(boolean jvm) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
            }
        });
        if (jvm) {
            new JvmMemoryMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        } else {
            gc = null;
        }
    }

    /** The registry of a running bot: its own meters plus the JVM's (memory, GC, threads, CPU, uptime). */
    public static Metrics withJvm() {
        return new Metrics(true);
    }

    /** Only what pgstaging's own code records: for a bot embedded in another program, and tests. */
    public static Metrics ownOnly() {
        return new Metrics(false);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter, in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (gc != null) gc.close();
        registry.close();
    }
}
