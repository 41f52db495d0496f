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
 * Run: mvn -q test-compile exec:java is not in the build, so:
 *   java -cp target/classes:target/test-classes:$(mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout) \
 *        org.pgstaging.slack.SlackAckBenchmark [concurrency] [rounds]
 */
public final class SlackAckBenchmark {
    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (SlackApiServer api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, "xapp-unused")) {
            RecordingBackend backend = new RecordingBackend();
            Map<String, String> settings = SlackHttpBotTest.settings(api.apiUrl(), Files.createTempDirectory("pgstaging-bench"), false);
            try (SlackBot bot = new SlackBot(new SlackSettings(settings, Map.of()), backend, Clock.systemUTC())) {
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
