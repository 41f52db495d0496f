package org.pgstaging.slack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code pgstaging -c INI bot} in a JVM of its own, so a test can kill it the way a crash or an OOM
 * killer would (SIGKILL: no shutdown hook, no cleanup), which an in-process close cannot imitate:
 * closing the queue interrupts the runner, and the restore pipeline then cleans up by itself.
 */
final class BotProcessE2E implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private BotProcessE2E(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the bot of {@code ini} (its [slack] section in http mode on {@code port}); waits for /healthz. */
    static BotProcessE2E start(Path ini, int port, Path log, Duration timeout) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire's class path (a manifest-only jar or the plain list) works as is for a child JVM.
        List<String> argv = List.of(java, "-Dfile.encoding=UTF-8", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "org.pgstaging.cli.Main", "-c", ini.toString(), "bot");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BotProcessE2E bot = new BotProcessE2E(p, log, port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!p.isAlive()) throw new AssertionError("pgstaging bot exited with " + p.exitValue() + ":\n" + bot.output());
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + SlackHttpServer.HEALTH_PATH)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return bot;
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > end) {
                bot.close();
                throw new AssertionError("pgstaging bot did not answer /healthz within " + timeout + ":\n" + bot.output());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Writes to {@code file} the configuration {@code ini} (as StagingSandbox writes it, its [slack]
     * section last) with that section replaced by {@code slack}, in its order.
     */
    static Path withSlack(Path file, String ini, java.util.Map<String, String> slack) throws IOException {
        StringBuilder text = new StringBuilder(ini.substring(0, ini.lastIndexOf("\n[slack]"))).append("\n[slack]\n");
        slack.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    URI eventsUri() {
        return URI.create("http://127.0.0.1:" + port + SlackHttpServer.EVENTS_PATH);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash: nothing in the process gets a chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as systemd, Kubernetes or an operator stops the bot: {@code kill -TERM pid}. */
    void terminate() throws Exception {
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new AssertionError("kill -TERM " + process.pid() + " failed");
    }

    /** The exit status once the process ended, or an AssertionError when it still runs after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("pgstaging bot still running " + timeout + " after SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
