package org.pgstaging.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for this package's tests: initdb into a temp dir, start on a random loopback
 * port, load the shared fixture into database {@code src}, and make real dumps of it. initdb and postgres
 * refuse to run as root, so they run as user postgres through runuser when the tests run as root.
 * One per test class; {@link #close()} stops it and removes its files.
 */
final class FixtureCluster implements AutoCloseable {
    static final Path FIXTURE = Path.of("src/test/resources/fixtures/source.sql");

    final Path dir;
    final Path bin;
    final int port;
    private final boolean asPostgres;

    private FixtureCluster(Path dir, Path bin, int port, boolean asPostgres) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** Starts a cluster and loads the fixture into database {@code src}. */
    static FixtureCluster start() throws Exception {
        Path bin = findBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("pgstaging-catalog-");
        if (root) {
            run(List.of("chown", "postgres", dir.toString()), null);
        }
        int port = freePort();
        FixtureCluster c = new FixtureCluster(dir, bin, port, root);
        try {
            c.runServerTool(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust", "--no-sync"));
            c.runServerTool(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
            c.psql("postgres", "CREATE DATABASE src");
            run(List.of(bin.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                    "-p", String.valueOf(port), "-U", "postgres", "-d", "src", "-f", FIXTURE.toString()), null);
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    /** pg_dump of {@code src} in the given format (c, d, t, p) to a new path in the cluster's dir. */
    Path dump(String format, String name) throws IOException {
        return dump(format, name, "src");
    }

    /** pg_dump of {@code database} in the given format to a new path in the cluster's dir. */
    Path dump(String format, String name, String database) throws IOException {
        Path out = dir.resolve(name);
        run(List.of(bin.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", "postgres", "-F", format, "-f", out.toString(), database), null);
        return out;
    }

    /** Runs the SQL file on {@code db} as its bytes are (psql sends them unconverted with client_encoding SQL_ASCII). */
    void psqlFile(String db, Path file, String clientEncoding) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", db, "-f", file.toString());
        pb.environment().put("PGCLIENTENCODING", clientEncoding);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IOException("psql -f " + file + " failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Output of a PostgreSQL client tool (pg_restore...) given its arguments after the binary name. */
    String tool(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve(name).toString());
        cmd.addAll(Arrays.asList(args));
        return run(cmd, null);
    }

    void psql(String db, String sql) throws IOException {
        run(List.of(bin.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", String.valueOf(port), "-U", "postgres", "-d", db, "-c", sql), null);
    }

    String[] connectionArgs() {
        return new String[] {"-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres"};
    }

    Connection connect(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, "postgres", "");
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                runServerTool(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                        "-m", "immediate", "-w", "stop"));
            }
        } catch (IOException e) {
            // fall through to removing files; a leftover server dies with its data dir gone
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp dir: best effort
            }
        }
    }

    private void runServerTool(List<String> cmd) throws IOException {
        if (asPostgres) {
            List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
            wrapped.addAll(cmd);
            run(wrapped, dir.toFile());
        } else {
            run(cmd, dir.toFile());
        }
    }

    /** Runs a command, returns stdout; fails with stderr when it exits non-zero. */
    static String run(List<String> cmd, java.io.File cwd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (cwd != null) pb.directory(cwd);
        Path err = Files.createTempFile("pgstaging-cmd", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd, e);
        }
        String stderr = Files.readString(err);
        Files.deleteIfExists(err);
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " exited " + p.exitValue() + ": " + stderr);
        }
        return out;
    }

    private static Path findBin() {
        String env = System.getenv("PG_BINDIR");
        if (env != null && Files.isExecutable(Path.of(env, "initdb"))) return Path.of(env);
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql"));
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL server binaries: set PG_BINDIR", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
