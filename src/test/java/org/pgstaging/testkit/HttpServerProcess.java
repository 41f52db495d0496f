package org.pgstaging.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Shared plumbing of {@link ApacheServer} and {@link NginxServer}: a real web server run in the
 * foreground as a child process, with its config, pid file and logs in its own temp dir, on a free
 * loopback port. Closing (or JVM exit) kills the process and removes the temp dir.
 */
public abstract class HttpServerProcess implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 15_000;

    private final Path workDir;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;

    protected HttpServerProcess(Path workDir, int port, List<String> command) throws IOException {
        this.workDir = workDir;
        this.port = port;
        Path out = workDir.resolve("console.log");
        this.process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        this.shutdownHook = new Thread(this::kill, getClass().getSimpleName() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            awaitPort();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The error log path inside the work dir; its content goes into startup failure messages. */
    protected abstract Path errorLog();

    /** The access log path inside the work dir (one line per request). */
    public abstract Path accessLog();

    public int port() { return port; }

    /** {@code http://127.0.0.1:port/} */
    public URI baseUrl() { return URI.create("http://127.0.0.1:" + port + "/"); }

    /** {@code 127.0.0.1:port}, the form pg_staging's {@code backup_host} takes. */
    public String hostAndPort() { return "127.0.0.1:" + port; }

    public Path workDir() { return workDir; }

    /** Access log lines whose request line contains {@code "GET " + path + " "}. */
    public long requestCount(String path) {
        String needle = "\"GET " + path + " ";
        return accessLogLines().stream().filter(l -> l.contains(needle)).count();
    }

    public List<String> accessLogLines() {
        try {
            return Files.exists(accessLog()) ? Files.readAllLines(accessLog(), StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@link #requestCount} for {@code path} reaches {@code n}: servers write the log
     * line after sending the response, so a client may see the answer before the line exists.
     */
    public long awaitRequestCount(String path, long n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        long c;
        while ((c = requestCount(path)) < n && System.currentTimeMillis() < deadline) Thread.sleep(20);
        return c;
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook itself is running or about to: nothing left to unregister
        }
        deleteTree(workDir);
    }

    private void kill() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPort() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(getClass().getSimpleName() + " exited with status "
                        + process.exitValue() + " before listening on port " + port + logs());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException(getClass().getSimpleName() + " did not listen on port " + port
                + " within " + START_TIMEOUT_MS + " ms" + logs());
    }

    private String logs() {
        StringBuilder b = new StringBuilder();
        for (Path p : List.of(workDir.resolve("console.log"), errorLog())) {
            try {
                if (Files.exists(p)) b.append("\n--- ").append(p).append(" ---\n").append(Files.readString(p));
            } catch (IOException e) {
                b.append("\n(cannot read ").append(p).append(": ").append(e).append(')');
            }
        }
        return b.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server", e);
        }
    }

    // ---- helpers for subclasses ------------------------------------------------------------

    /** A fresh work dir, world-traversable because workers run as www-data/nobody when we are root. */
    protected static Path newWorkDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** A loopback port that was free a moment ago (the server binds it right after). */
    protected static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /**
     * Makes the docroot, its files and every parent readable by others: as root, Apache and nginx
     * serve from worker processes running as www-data/nobody, which would get 403 on 0700 temp dirs.
     */
    public static void makeWorldReadable(Path docroot) throws IOException {
        Path abs = docroot.toAbsolutePath();
        for (Path p = abs.getParent(); p != null; p = p.getParent()) {
            addPermissions(p, EnumSet.of(PosixFilePermission.OTHERS_EXECUTE));
        }
        Files.walkFileTree(abs, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                addPermissions(dir, EnumSet.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) addPermissions(file, EnumSet.of(PosixFilePermission.OTHERS_READ));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void addPermissions(Path p, Set<PosixFilePermission> extra) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        if (!perms.containsAll(extra)) {
            perms.addAll(extra);
            Files.setPosixFilePermissions(p, perms);
        }
    }

    protected static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    protected static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (var walk = Files.walk(root)) {
            List<Path> all = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover temp dir is harmless and must not mask the test result
        }
    }

    /** Config values are written between double quotes; refuse paths that would break out of them. */
    protected static String quoted(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains("\"") || s.contains("\n") || s.contains("\\")) {
            throw new IllegalArgumentException("unsupported character in path for a server config: " + s);
        }
        return "\"" + s + "\"";
    }
}
