package org.pgstaging.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.pgstaging.PgStagingException;

/**
 * Where and as whom pgstaging connects to PostgreSQL. The password, if any, comes from
 * PGPASSWORD or ~/.pgpass (read by the driver), never from the command line or the ini; a restore
 * running on a database server for a console gets the console's PGPASSWORD through its request.
 *
 * @param password null: ~/.pgpass (or none); never shown by {@link #toString()}
 */
public record PostgresServerAddress(String host, int port, String user, String password) {

    /** The password from PGPASSWORD, if set. */
    public PostgresServerAddress(String host, int port, String user) {
        this(host, port, user, System.getenv("PGPASSWORD"));
    }

    /**
     * The driver's classes a first connection initializes, in the order it does: loaded with their
     * static tables by {@link #loadDriver()} on another core, they are not on the first
     * connection's path (~60 ms in a cold process). A name the driver no longer has is skipped.
     */
    private static final java.util.List<String> CONNECTION_CLASSES = java.util.List.of(
            "org.postgresql.PGProperty", "org.postgresql.core.v3.ConnectionFactoryImpl",
            "org.postgresql.core.PGStream", "org.postgresql.core.Encoding", "org.postgresql.core.v3.QueryExecutorImpl",
            "org.postgresql.jdbc.PgConnection", "org.postgresql.jdbc.TypeInfoCache", "org.postgresql.core.Parser",
            "org.postgresql.jdbc.PgStatement", "org.postgresql.jdbc.PgPreparedStatement", "org.postgresql.jdbc.PgResultSet",
            "org.postgresql.core.v3.SimpleParameterList", "org.postgresql.util.PSQLState");

    /** Loads and registers the JDBC driver, and initializes what a first connection needs, now rather than at the first connection. */
    public static void loadDriver() {
        ClassLoader loader = PostgresServerAddress.class.getClassLoader();
        try {
            Class.forName("org.postgresql.Driver");
            org.postgresql.Driver.parseURL("jdbc:postgresql://localhost:5432/postgres", new Properties());
        } catch (ClassNotFoundException | RuntimeException e) {
            return; // the first connection says so, with its own message
        }
        for (String name : CONNECTION_CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // another driver version: that class loads when the connection needs it
            }
        }
    }

    public Connection connect(String database) {
        return connect(database, null);
    }

    /** A connection whose session starts with libpq-style {@code options} (e.g. {@code -c work_mem=8MB}), as pg_restore's will. */
    public Connection connect(String database, String options) {
        Properties props = new Properties();
        if (options != null) props.setProperty("options", options);
        props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        props.setProperty("ApplicationName", "pgstaging");
        props.setProperty("connectTimeout", "10");
        props.setProperty("sslmode", System.getenv().getOrDefault("PGSSLMODE", "prefer"));
        String url = "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + urlEncode(database);
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw new PgStagingException("cannot connect to database '" + database + "' on " + this + ": " + e.getMessage(),
                    "check host, postgres_port and dbuser in the section, and that PostgreSQL accepts " + user
                            + " from this machine (pg_hba.conf; password in ~/.pgpass or PGPASSWORD)", e);
        }
    }

    private String hostForUrl() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** libpq-style environment for child tools (pg_restore, psql, pg_dump). */
    public java.util.Map<String, String> libpqEnv() {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGUSER", user);
        env.put("PGAPPNAME", "pgstaging");
        if (password != null) env.put("PGPASSWORD", password);
        return env;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
