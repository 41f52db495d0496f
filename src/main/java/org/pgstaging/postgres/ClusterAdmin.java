package org.pgstaging.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.pgstaging.BackgroundCheck;
import org.pgstaging.PgStagingException;
import org.pgstaging.config.SessionSettings;

/**
 * Database-level operations on one PostgreSQL server, through the maintenance database:
 * create, drop, size, list, search_path, vacuum, SHOW. Every identifier is quoted.
 */
public final class ClusterAdmin {
    private static final String DUPLICATE_DATABASE = "42P04";
    /** "cannot alter invalid database": a concurrent DROP DATABASE is under way (PostgreSQL 15.4 and later). */
    private static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";
    /** "database ... does not exist": it was dropped between the check and the ALTER. */
    private static final String INVALID_CATALOG_NAME = "3D000";

    private static final Pattern SETTING = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private final PostgresServerAddress server;
    private final String maintdb;

    public ClusterAdmin(PostgresServerAddress server, String maintdb) {
        this.server = server;
        this.maintdb = maintdb;
    }

    public PostgresServerAddress server() { return server; }

    /** CREATE DATABASE from template0 so encoding is free to differ from the template's. */
    public void createDatabase(String name, String owner, String encoding) {
        String sql = "CREATE DATABASE " + Identifiers.quote(name) + " WITH TEMPLATE template0"
                + " OWNER " + Identifiers.quote(owner) + " ENCODING " + Identifiers.literal(encoding);
        // no exists() first: CREATE DATABASE says so itself, and a connection less is ~15 ms of every restore
        try (Connection c = server.connect(maintdb); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw new PgStagingException("database " + name + " already exists on " + server,
                        "drop it first (pgstaging drop SECTION DATE) or restore another date");
            }
            throw failure("create database " + name, e);
        }
    }

    /**
     * A restore's new copy, never for an instant without saying it is incomplete: created refusing
     * connections, given its {@code mark} ({@link CopyMark#incomplete}), then opened. A process that
     * dies between two of these leaves a database that refuses connections and has no comment, which
     * {@link #commentsStartingWith} reports as incomplete too, so a crash cannot make it look whole.
     */
    public void createIncompleteCopy(String name, String owner, String encoding, String mark) {
        String sql = "CREATE DATABASE " + Identifiers.quote(name) + " WITH TEMPLATE template0"
                + " OWNER " + Identifiers.quote(owner) + " ENCODING " + Identifiers.literal(encoding) + " ALLOW_CONNECTIONS false";
        try (Connection c = server.connect(maintdb); Statement st = c.createStatement()) {
            try {
                st.execute(sql);
            } catch (SQLException e) {
                if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
                    throw new PgStagingException("database " + name + " already exists on " + server,
                            "drop it first (pgstaging drop SECTION DATE) or restore another date");
                }
                throw e;
            }
            st.execute("COMMENT ON DATABASE " + Identifiers.quote(name) + " IS " + Identifiers.literal(mark));
            st.execute("ALTER DATABASE " + Identifiers.quote(name) + " ALLOW_CONNECTIONS true");
        } catch (SQLException e) {
            throw failure("create database " + name, e);
        }
    }

    /** Drops a database even with sessions connected: terminates them first, then DROP ... WITH (FORCE). */
    public boolean dropDatabase(String name) {
        if (!exists(name)) return false;
        // on its own connection: refusing an invalid database is FATAL, the session ends with it
        try (Connection c = server.connect(maintdb); Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + Identifiers.quote(name) + " WITH ALLOW_CONNECTIONS false");
        } catch (SQLException e) {
            // another session is dropping it right now or a drop was interrupted (PostgreSQL 15.4 and
            // later mark it invalid meanwhile), or it is gone already: DROP ... IF EXISTS ends it all the same
            if (!OBJECT_NOT_IN_PREREQUISITE_STATE.equals(e.getSQLState()) && !INVALID_CATALOG_NAME.equals(e.getSQLState())) {
                throw failure("drop database " + name, e);
            }
        }
        try (Connection c = server.connect(maintdb)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                ps.setString(1, name);
                ps.executeQuery().close();
            }
            try (Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(name) + " WITH (FORCE)");
            }
            return true;
        } catch (SQLException e) {
            throw failure("drop database " + name, e);
        }
    }


    /**
     * Tries each setting the way pg_restore's sessions will get it, in transactions that are rolled
     * back, so that nothing is created when the restore could not start: first one by one (an
     * unknown name, a bad value or a setting this role may not change fails in the server's words),
     * then in a session started with them as options, as pg_restore's will be (a pooler in front of
     * PostgreSQL refuses or drops them). Returns the settings to use: when {@code wanted} are the
     * defaults, a memory size not above the server's current value is left out, so a default never
     * lowers what the server was given.
     */
    public SessionSettings checkSessionSettings(SessionSettings wanted, String option) {
        if (wanted.isEmpty()) return wanted;
        // the session with options is opened meanwhile, with every wanted setting: what it found
        // counts when all of them are kept, as they mostly are (two connections' round trips
        // overlap, which matters most for a server far away); else it is asked again with the kept ones
        SessionSettings all = new SessionSettings(wanted.values(), true);
        BackgroundCheck reaches = BackgroundCheck.start("settings-check", () -> checkReachesSession(all, option));
        Map<String, String> use = new LinkedHashMap<>();
        try (Connection c = server.connect(maintdb)) {
            c.setAutoCommit(false);
            try {
                for (Map.Entry<String, String> e : wanted.values().entrySet()) {
                    if (!wanted.explicit() && notAbove(c, e.getKey(), e.getValue())) continue;
                    try {
                        queryText(c, "SELECT set_config(?, ?, true)", e.getKey(), e.getValue());
                    } catch (SQLException bad) {
                        throw new PgStagingException(option + ": " + e.getKey() + " = " + e.getValue() + " is refused by "
                                + server + ": " + bad.getMessage(),
                                "fix or remove " + e.getKey() + " in " + option
                                        + " (a setting pg_restore's sessions may change, e.g. maintenance_work_mem=1GB), or write "
                                        + option + " = none");
                    }
                    use.put(e.getKey(), e.getValue());
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw failure("check " + option, e);
        }
        SessionSettings checked = new SessionSettings(use, true);
        if (checked.isEmpty()) return checked;
        if (use.equals(wanted.values())) {
            reaches.await();
        } else {
            checkReachesSession(checked, option);
        }
        return checked;
    }

    /** Opens a session with {@code settings} as startup options and checks that it has them. */
    private void checkReachesSession(SessionSettings settings, String option) {
        String options = settings.pgOptions();
        String refused = option + ": " + server + " refused a session started with options '" + options + "': ";
        String hint = "postgres_port must reach PostgreSQL itself, not a connection pooler (pgbouncer refuses"
                + " startup options, or drops them with ignore_startup_parameters); or write " + option + " = none";
        Connection c;
        try {
            c = server.connect(maintdb, options);
        } catch (PgStagingException e) {
            throw new PgStagingException(refused + e.getMessage(), hint, e);
        }
        try (c) {
            c.setAutoCommit(false);
            try {
                for (Map.Entry<String, String> e : settings.values().entrySet()) {
                    String now = queryText(c, "SELECT current_setting(?)", e.getKey(), null);
                    String wanted = queryText(c, "SELECT set_config(?, ?, true)", e.getKey(), e.getValue());
                    if (!wanted.equals(now)) {
                        throw new PgStagingException(option + ": " + e.getKey() + " = " + e.getValue()
                                + " did not reach a session started with options '" + options + "' on " + server
                                + " (it has " + now + ")", hint);
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new PgStagingException(refused + e.getMessage(), hint, e);
        }
    }

    private static String queryText(Connection c, String sql, String p1, String p2) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, p1);
            if (p2 != null) ps.setString(2, p2);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * True when {@code name} is a memory size and the server's value is already at least
     * {@code value}. Computed here from pg_settings' value and unit, which every supported
     * PostgreSQL has (pg_size_bytes is 9.6 and later).
     */
    private static boolean notAbove(Connection c, String name, String value) throws SQLException {
        long wanted = MemorySize.bytes(value);
        if (wanted < 0) return false;
        try (PreparedStatement ps = c.prepareStatement("SELECT setting, unit FROM pg_settings WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return false;
                long unit = MemorySize.unitBytes(rs.getString(2));
                if (unit < 0) return false;
                return wanted <= Long.parseLong(rs.getString(1)) * unit;
            }
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public boolean exists(String name) {
        return queryLong(maintdb, "SELECT count(*) FROM pg_database WHERE datname = ?", name) > 0;
    }

    /** Databases whose names start with {@code prefix}, sorted by name. */
    public List<String> databasesStartingWith(String prefix) {
        return new ArrayList<>(commentsStartingWith(prefix).keySet());
    }

    /**
     * Databases whose names start with {@code prefix}, sorted by name, each with its comment (null
     * when it has none): where pgstaging marks a copy as incomplete ({@link CopyMark}). One that
     * refuses connections and has no comment was left by {@link #createIncompleteCopy} cut short: it
     * comes with {@link CopyMark#UNMARKED}.
     */
    public Map<String, String> commentsStartingWith(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = server.connect(maintdb);
             PreparedStatement ps = c.prepareStatement("SELECT datname, coalesce(shobj_description(oid, 'pg_database'),"
                     + " CASE WHEN NOT datallowconn THEN ? END) FROM pg_database WHERE left(datname, length(?)) = ? ORDER BY datname")) {
            ps.setString(1, CopyMark.UNMARKED);
            ps.setString(2, prefix);
            ps.setString(3, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw failure("list databases", e);
        }
        return out;
    }

    /** Sets the database's comment, where {@link CopyMark} says whether a copy is complete. */
    public void comment(String database, String text) {
        update(maintdb, "COMMENT ON DATABASE " + Identifiers.quote(database) + " IS " + Identifiers.literal(text),
                "comment on database " + database);
    }

    /** Size in bytes, or empty when the database does not exist. */
    public Optional<Long> size(String name) {
        try (Connection c = server.connect(maintdb);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT pg_database_size(datname) FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("size of " + name, e);
        }
    }

    /** ALTER DATABASE ... SET search_path, with each schema name re-quoted. */
    public void setSearchPath(String database, String searchPath) {
        List<String> names = Identifiers.parseList(searchPath);
        String value = String.join(", ", names.stream().map(Identifiers::quote).toList());
        update(maintdb, "ALTER DATABASE " + Identifiers.quote(database) + " SET search_path TO " + value,
                "set search_path of " + database);
    }

    public void vacuumAnalyze(String database) {
        update(database, "VACUUM ANALYZE", "VACUUM ANALYZE " + database);
    }

    public String show(String database, String setting) {
        if (!SETTING.matcher(setting).matches()) {
            throw new PgStagingException("invalid setting name '" + setting + "'",
                    "give a PostgreSQL setting name such as work_mem or search_path");
        }
        try (Connection c = server.connect(database);
             PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
            ps.setString(1, setting);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw failure("SHOW " + setting, e);
        }
    }

    /** Number of ordinary tables and the largest ones with their row estimates (for comparisons). */
    public TableStats tableStats(String database, int largest) {
        try (Connection c = server.connect(database)) {
            long count;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                         + " WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema')"
                         + " AND n.nspname NOT LIKE 'pg_toast%'")) {
                rs.next();
                count = rs.getLong(1);
            }
            List<TableStats.Table> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, c.relname, greatest(c.reltuples, 0)::bigint,"
                    + " pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema')"
                    + " ORDER BY pg_total_relation_size(c.oid) DESC, 1, 2 LIMIT ?")) {
                ps.setInt(1, largest);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tables.add(new TableStats.Table(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
            return new TableStats(count, tables);
        } catch (SQLException e) {
            throw failure("table statistics of " + database, e);
        }
    }

    /** A backend connected to a database, for "who is connected" before a drop. */
    public record BackendSession(String user, String address, String application, String state) { }

    /** Sessions connected to a database, oldest first. */
    public List<BackendSession> sessions(String database) {
        List<BackendSession> out = new ArrayList<>();
        try (Connection c = server.connect(maintdb);
             PreparedStatement ps = c.prepareStatement("SELECT usename, coalesce(client_addr::text, 'local'), application_name,"
                     + " coalesce(state, '') FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()"
                     + " ORDER BY backend_start")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new BackendSession(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw failure("list sessions of " + database, e);
        }
        return out;
    }

    private void update(String database, String sql, String what) {
        try (Connection c = server.connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private long queryLong(String database, String sql, String param) {
        try (Connection c = server.connect(database); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    private PgStagingException failure(String what, SQLException e) {
        return new PgStagingException("could not " + what + " on " + server + ": " + e.getMessage(),
                hintFor(e), e);
    }

    private static String hintFor(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "42501" -> "the role needs CREATEDB (or superuser) on that server: ALTER ROLE ... CREATEDB";
            case "42704" -> "check that dbowner names an existing role on that server";
            case "22023" -> "check db_encoding: it must be an encoding PostgreSQL knows, e.g. UTF8";
            case "55006" -> "someone is still connected and could not be disconnected; retry in a moment";
            default -> null;
        };
    }
}
