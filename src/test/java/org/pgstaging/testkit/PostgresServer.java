package org.pgstaging.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A throw-away PostgreSQL 15 cluster on loopback with a random port, trust authentication and
 * durability switched off (tests don't need it and it is much faster). Run as {@code postgres}
 * when we are root. Use {@link #shared()} unless a test really needs its own cluster.
 */
public final class PostgresServer implements AutoCloseable {
    public static final Path DEFAULT_BIN_DIR = Path.of("/usr/lib/postgresql/15/bin");
    private static final String LOOPBACK = "127.0.0.1";
    private static final String SUPERUSER = "postgres";

    private static PostgresServer shared;

    private final Path binDir;
    private final Path baseDir;
    private final Path dataDir;
    private final Path socketDir;
    private final Path logFile;
    private final int port;
    private final String host;
    private boolean closed;

    private PostgresServer(Path binDir, Path baseDir, String host, int port) {
        this.host = host;
        this.binDir = binDir;
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.socketDir = baseDir.resolve("sock");
        this.logFile = baseDir.resolve("postgres.log");
        this.port = port;
    }

    /** One cluster for the whole test JVM, started on first use and stopped by a shutdown hook. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-shared-postgres"));
            shared = server;
        }
        return shared;
    }

    public static PostgresServer start() {
        return start(LOOPBACK);
    }

    /** A cluster listening on {@code host} only: another loopback address (127.0.0.2) plays another server. */
    public static PostgresServer start(String host) {
        Path base = Unprivileged.ownedTempDir("pgstaging-pg");
        try {
            Unprivileged.run(Unprivileged.argv(DEFAULT_BIN_DIR.resolve("initdb").toString(),
                    "-D", base.resolve("data").toString(), "-U", SUPERUSER, "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync"), base, 120);
            Files.createDirectories(base.resolve("sock"));
            Unprivileged.giveTo(base);
        } catch (RuntimeException | IOException e) {
            Unprivileged.deleteTree(base);
            throw new IllegalStateException("initdb failed in " + base, e);
        }
        // The port is free when probed but may be taken before postgres binds it: retry with another.
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            PostgresServer server = new PostgresServer(DEFAULT_BIN_DIR, base, host, freePort(host));
            try {
                server.pgCtlStart();
                return server;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        Unprivileged.deleteTree(base);
        throw last;
    }

    private void pgCtlStart() {
        String options = "-p " + port + " -k " + socketDir + " -c listen_addresses=" + host
                + " -c fsync=off -c full_page_writes=off -c synchronous_commit=off";
        try {
            Unprivileged.run(Unprivileged.argv(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-l", logFile.toString(), "-w", "-t", "60", "-o", options, "start"), baseDir, 90);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\n--- tail of " + logFile + " ---\n" + logTail(), e);
        }
    }

    /** A port nobody listens on right now on loopback. */
    public static int freePort() {
        return freePort(LOOPBACK);
    }

    /** A port nobody listens on right now on {@code host}. */
    public static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() { return port; }

    public String host() { return host; }

    public String superuser() { return SUPERUSER; }

    public Path binDir() { return binDir; }

    public Path dataDir() { return dataDir; }

    public Path logFile() { return logFile; }

    public String jdbcUrl(String db) {
        // pgjdbc URL-decodes the database part; '+' would decode to a space, so encode spaces as %20.
        return "jdbc:postgresql://" + host + ":" + port + "/"
                + URLEncoder.encode(db, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public Connection connect(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("sslmode", "disable");
        return DriverManager.getConnection(jdbcUrl(db), props);
    }

    public void execute(String db, String sql) {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + db + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs a SQL script with psql, stopping at the first error. Returns psql's output. */
    public String psql(String db, Path file) {
        return Unprivileged.run(List.of(binDir.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", host, "-p", Integer.toString(port), "-U", SUPERUSER, "-d", db, "-f", file.toString()),
                null, 300);
    }

    /** Whether this cluster has a database of that name. */
    public boolean databaseExists(String name) {
        try (Connection c = connect("postgres");
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list databases: " + e.getMessage(), e);
        }
    }

    public void createDatabase(String name) {
        execute("postgres", "CREATE DATABASE " + quoteIdent(name));
    }

    public void dropDatabase(String name) {
        execute("postgres", "DROP DATABASE IF EXISTS " + quoteIdent(name) + " WITH (FORCE)");
    }

    /** pg_dump of {@code db} into {@code out}; format is c, d, p or t (a leading -F is accepted). */
    public void pgDump(String db, Path out, String format, String... options) {
        String f = format.startsWith("-F") ? format.substring(2) : format;
        List<String> argv = new ArrayList<>(List.of(binDir.resolve("pg_dump").toString(), "-F", f,
                "-h", host, "-p", Integer.toString(port), "-U", SUPERUSER, "-f", out.toString()));
        argv.addAll(List.of(options));
        argv.add(db);
        Unprivileged.run(argv, null, 300);
    }

    public static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** Last lines of the server log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Unprivileged.run(Unprivileged.argv(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-m", "immediate", "-w", "stop"), baseDir, 60);
        } catch (RuntimeException e) {
            // Not running (start failed) or already gone: still remove the directory.
        }
        Unprivileged.deleteTree(baseDir);
    }
}
