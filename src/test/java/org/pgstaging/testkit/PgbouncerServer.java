package org.pgstaging.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real pgbouncer 1.18 in front of a {@link PostgresServer}, in the foreground as a child process.
 * Layout: a root-owned, world-readable directory holds {@code pgbouncer.ini} and {@code userlist.txt}
 * (like /etc/pgbouncer: pgstaging rewrites the ini as root and must keep it readable by pgbouncer);
 * a {@code run/} subdirectory owned by postgres holds the log, pidfile and unix socket.
 * The generated ini has a comment line and a {@code [users]} section so tests can check they survive.
 */
public final class PgbouncerServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
    public static final String COMMENT_LINE = "; pgbouncer.ini managed by tests";

    private final Path dir;
    private final Path runDir;
    private final Path configFile;
    private final Path logFile;
    private final Path pidFile;
    private final int port;
    private final String host;
    private Process process;

    private PgbouncerServer(Path dir, String host, int port) {
        this.host = host;
        this.dir = dir;
        this.runDir = dir.resolve("run");
        this.configFile = dir.resolve("pgbouncer.ini");
        this.logFile = runDir.resolve("pgbouncer.log");
        this.pidFile = runDir.resolve("pgbouncer.pid");
        this.port = port;
    }

    public static PgbouncerServer start(PostgresServer pg) {
        return start(pg, pg.host());
    }

    /** A pgbouncer listening on {@code host} (another loopback address plays another server). */
    public static PgbouncerServer start(PostgresServer pg, String host) {
        Path dir;
        try {
            dir = Files.createTempDirectory("pgstaging-bouncer");
            Unprivileged.makeReadable(dir);
            Path run = Files.createDirectory(dir.resolve("run"));
            Unprivileged.giveTo(run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            PgbouncerServer server = new PgbouncerServer(dir, host, PostgresServer.freePort(host));
            try {
                server.writeConfig(pg);
                server.launch();
                return server;
            } catch (IllegalStateException e) {
                server.stopProcess();
                last = e;
            }
        }
        Unprivileged.deleteTree(dir);
        throw last;
    }

    /** The ini as written at start; tests compare what pgstaging made of it against this. */
    public String initialConfig(PostgresServer pg) {
        return String.join("\n", List.of(
                COMMENT_LINE,
                "[databases]",
                "postgres = host=" + pg.host() + " port=" + pg.port() + " dbname=postgres",
                "",
                "[users]",
                "postgres = pool_mode=session",
                "",
                "[pgbouncer]",
                "listen_addr = " + host,
                "listen_port = " + port,
                "unix_socket_dir = " + runDir,
                "auth_type = trust",
                "auth_file = " + dir.resolve("userlist.txt"),
                "admin_users = postgres",
                "pool_mode = session",
                "logfile = " + logFile,
                "pidfile = " + pidFile,
                "ignore_startup_parameters = extra_float_digits,options",
                "server_check_delay = 1",
                "")) ;
    }

    private void writeConfig(PostgresServer pg) {
        try {
            Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"\"\n");
            Unprivileged.chmod(dir.resolve("userlist.txt"), "rw-r--r--");
            Files.writeString(configFile, initialConfig(pg));
            Unprivileged.chmod(configFile, "rw-r--r--");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        try {
            Files.deleteIfExists(pidFile);
            process = new ProcessBuilder(Unprivileged.argv(BINARY.toString(), configFile.toString()))
                    .directory(runDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(runDir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + BINARY, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with code " + process.exitValue()
                        + " on port " + port + "\n" + logTail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException notYet) {
                sleepBriefly();
            }
        }
        throw new IllegalStateException("pgbouncer did not listen on port " + port + " within 30s\n" + logTail());
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for pgbouncer", e);
        }
    }

    public int port() { return port; }

    public String host() { return host; }

    public Path configFile() { return configFile; }

    public Path pidFile() { return pidFile; }

    public Path logFile() { return logFile; }

    /** The pgbouncer process itself (runuser's child when we are root). */
    public ProcessHandle pgbouncerProcess() {
        return process.descendants().findFirst().orElse(process.toHandle());
    }

    /** JDBC URL of a database served by this pgbouncer. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/"
                + java.net.URLEncoder.encode(db, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A connection to {@code db} through pgbouncer, as postgres. */
    public Connection connect(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("sslmode", "disable");
        return DriverManager.getConnection(jdbcUrl(db), props);
    }

    /** The database the entry {@code alias} leads to, asked through pgbouncer itself. */
    public String aliasTarget(String alias) {
        try (Connection c = connect(alias); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach " + alias + " through pgbouncer: " + e.getMessage(), e);
        }
    }

    /**
     * Runs one admin console command (e.g. {@code SHOW DATABASES}) with psql and returns its rows as
     * column name to value (NULL reads as empty). Not JDBC on purpose: pgjdbc 42.7.5+ sends
     * {@code SET extra_float_digits} to servers reporting a version below 12, and the 1.18 console
     * answers "SET failed", so no JDBC connection to it can be opened.
     */
    public List<java.util.Map<String, String>> admin(String command) {
        String out = Unprivileged.run(List.of(PostgresServer.DEFAULT_BIN_DIR.resolve("psql").toString(),
                "-X", "-A", "-F", "\t", "-P", "footer=off", "-v", "ON_ERROR_STOP=1",
                "-h", host, "-p", Integer.toString(port), "-U", "postgres", "-d", "pgbouncer", "-c", command),
                null, 60);
        List<String> lines = out.lines().toList();
        List<java.util.Map<String, String>> rows = new java.util.ArrayList<>();
        if (lines.isEmpty()) {
            return rows;
        }
        String[] header = lines.get(0).split("\t", -1);
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split("\t", -1);
            java.util.Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < values.length ? values[i] : "");
            }
            rows.add(row);
        }
        return rows;
    }

    public String logTail() {
        StringBuilder sb = new StringBuilder();
        for (Path p : List.of(logFile, runDir.resolve("stdout.log"))) {
            try {
                List<String> lines = Files.readAllLines(p);
                sb.append("--- tail of ").append(p).append(" ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())))
                        .append('\n');
            } catch (IOException e) {
                sb.append("(no ").append(p).append(")\n");
            }
        }
        return sb.toString();
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        // runuser forwards SIGTERM, but kill the pgbouncer child directly too so nothing lingers.
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            child.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }

    @Override
    public synchronized void close() {
        stopProcess();
        process = null;
        Unprivileged.deleteTree(dir);
    }
}
