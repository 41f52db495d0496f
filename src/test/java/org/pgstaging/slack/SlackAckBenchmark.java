package org.pgstaging.slack;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;

/**
 * Not a test: measures how long the bot takes to ack signed slash commands when 50 arrive at once,
 * over real HTTP on loopback, with slow work behind them (the backend blocks until all acks are in).
 * Prints p50/p99/max; Slack's limit is 3000 ms.
 * With {@code --with-restore}, real restores run back to back the whole time (the fixture dump restored
 * and dropped again through the engine, on the test kit's PostgreSQL, pgbouncer and nginx), so the acks
 * compete with pg_restore for the machine's cores as they would in production.
 * Run: mvn -q test-compile exec:java is not in the build, so:
 *   java -Dfile.encoding=UTF-8 -cp target/classes:target/test-classes:$(mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout) \
 *        org.pgstaging.slack.SlackAckBenchmark [concurrency] [rounds] [--with-restore]
 */
public final class SlackAckBenchmark {
    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>(List.of(args));
        boolean withRestore = positional.remove("--with-restore");
        int concurrency = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 50;
        int rounds = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 5;
        try (BackgroundRestores restores = withRestore ? BackgroundRestores.start() : null) {
            measure(concurrency, rounds);
            if (restores != null) System.out.println("restores completed meanwhile: " + restores.completed());
        }
        System.exit(0);
    }

    /** Restores the fixture dump into a fresh copy, drops it, and again, until closed. */
    static final class BackgroundRestores implements AutoCloseable {
        private final org.pgstaging.testkit.StagingSandbox sandbox;
        private final Thread worker;
        private final java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean stop;

        private BackgroundRestores(org.pgstaging.testkit.StagingSandbox sandbox) {
            this.sandbox = sandbox;
            sandbox.publishDump("ackbench", java.time.LocalDate.of(2026, 11, 24));
            org.pgstaging.job.StagingService staging = new org.pgstaging.job.StagingService(
                    org.pgstaging.config.ConfigLoader.load(sandbox.writeConfig("ackbench", "auto_switch = False")),
                    org.pgstaging.job.EngineOptions.defaults(), e -> { });
            this.worker = new Thread(() -> {
                while (!stop) {
                    staging.restore("ackbench.dev", org.pgstaging.backup.DateSpec.latest(), null);
                    staging.drop("ackbench.dev", org.pgstaging.backup.DateSpec.latest());
                    completed.incrementAndGet();
                }
            }, "background-restores");
        }

        static BackgroundRestores start() throws InterruptedException {
            BackgroundRestores r = new BackgroundRestores(
                    org.pgstaging.testkit.StagingSandbox.start(org.pgstaging.testkit.StagingSandbox.Web.NGINX));
            r.worker.start();
            while (r.completed.get() == 0) Thread.sleep(50); // the JIT is warm and a restore is under way
            return r;
        }

        int completed() { return completed.get(); }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            worker.join();
            sandbox.close();
        }
    }

    private static void measure(int concurrency, int rounds) throws Exception {
        try (SlackApiServer api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, "xapp-unused")) {
            SlackSettings settings = new SlackSettings(
                    SlackHttpBotTest.settings(api.apiUrl(), Files.createTempDirectory("pgstaging-bench"), false), Map.of());
            RecordingBackend backend = new RecordingBackend(SlackBot.jobPolicy(settings));
            try (SlackBot bot = new SlackBot(settings, backend, Clock.systemUTC())) {
                URI events = bot.startHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventsUri();
                SlackRequests slack = new SlackRequests(SlackHttpBotTest.SECRET);
                ExecutorService clients = Executors.newFixedThreadPool(concurrency);
                List<Long> all = Collections.synchronizedList(new ArrayList<>());
                for (int round = 0; round <= rounds; round++) { // round 0 warms up the JIT and connections
                    CountDownLatch gate = new CountDownLatch(1);
                    backend.gate = gate; // the work stays blocked: we measure the ack alone
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Long>> futures = new ArrayList<>();
                    for (int i = 0; i < concurrency; i++) {
                        String body = slack.slashCommand(SlackHttpBotTest.ALICE, SlackHttpBotTest.CHANNEL, "/pgstaging",
                                "dbsizes foodb.dev", api.responseUrl());
                        futures.add(clients.submit(() -> {
                            start.await();
                            long t0 = System.nanoTime();
                            HttpResponse<String> r = slack.send(events, slack.signForm(body));
                            long t = System.nanoTime() - t0;
                            if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode());
                            return t;
                        }));
                    }
                    start.countDown();
                    List<Long> times = new ArrayList<>();
                    for (Future<Long> f : futures) times.add(f.get());
                    gate.countDown();
                    backend.gate = null;
                    if (round > 0) all.addAll(times);
                    print("round " + round + (round == 0 ? " (warm-up)" : ""), times);
                }
                print("all rounds", all);
                clients.shutdown();
            }
        }
    }

    private static void print(String label, List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        System.out.printf(Locale.ROOT, "%-20s n=%-4d p50=%7.1f ms  p99=%7.1f ms  max=%7.1f ms%n", label, s.size(),
                ms(s, 0.50), ms(s, 0.99), s.get(s.size() - 1) / 1e6);
    }

    private static double ms(List<Long> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }
}
