package org.pgstaging.slack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /metrics} and {@code /healthz} on {@code metrics_port}: in Socket Mode the bot has no HTTP
 * server of its own, and a Kubernetes probe or a Prometheus scrape needs one.
 */
final class MetricsHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    MetricsHttpServer(InetSocketAddress address, Supplier<String> scrape, Probes.Checks checks) throws IOException {
        server = HttpServer.create(address, 16);
        // one thread: scrapes come every few seconds at most, and probes are trivial
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pgstaging-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(Probes.METRICS_PATH, ex -> Probes.metrics(ex, scrape));
        Probes.serve(server, checks);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
