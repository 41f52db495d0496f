package org.pgstaging.postgres;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pgstaging.PgStagingException;

/**
 * One change at a time per database server, whoever asks (a console, a script, the bot, on any
 * machine, sharing a state store or not): a session-level advisory lock in the maintenance
 * database, held by a connection of its own for the whole operation. PostgreSQL is the authority:
 * a process that dies releases the lock with its connection, and waiters are served in the order
 * they came. The query that takes the lock carries, in a comment, what is being done and by whom,
 * so a waiter (or a DBA looking at pg_stat_activity) can say what it waits for.
 */
public final class ServerLock {
    /** The advisory lock's key: 'pgst' and 1, in pg_locks as classid, objid, objsubid 2. */
    static final int KEY_CLASS = 0x70677374;
    static final int KEY_OBJECT = 1;
    private static final String MARK = "/* pgstaging ";
    private static final long POLL_MILLIS = 2000;
    private static final long FIRST_POLL_MILLIS = 150;

    private final PostgresServerAddress server;
    private final String maintdb;

    public ServerLock(PostgresServerAddress server, String maintdb) {
        this.server = server;
        this.maintdb = maintdb;
    }

    /** Who holds the lock or waits for it, as its own query says. {@code granted}: holds it. */
    public record Holder(int pid, boolean granted, String what, String by, Instant since) {
        public String describe() {
            return what + " (" + by + ", since " + since + ")";
        }
    }

    /** What a waiter hears while it waits: the holder now and those that wait before it, in order. */
    public interface WaitListener {
        void waiting(Holder holder, List<Holder> ahead);
    }

    /** The lock, held until closed (or the process dies). */
    public static final class Held implements AutoCloseable {
        private final Connection connection;

        private Held(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() {
            try (Statement st = connection.createStatement()) {
                st.execute("SELECT pg_advisory_unlock(" + KEY_CLASS + ", " + KEY_OBJECT + ")");
            } catch (SQLException ignored) {
                // closing the connection releases it anyway
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone, and the lock with it
            }
        }
    }

    /**
     * Takes the lock for {@code what}, done by {@code by}. When it is held elsewhere: fails at
     * once with {@link ServerBusyException} if {@code noWait}, else waits its turn, telling
     * {@code listener} who runs and how many are ahead (again when that changes). An interrupt
     * while waiting leaves the queue with nothing done.
     */
    public Held take(String what, String by, boolean noWait, WaitListener listener) {
        String tag = tag(what, by);
        Connection c = server.connect(maintdb);
        try {
            if (query(c, "SELECT pg_try_advisory_lock(" + KEY_CLASS + ", " + KEY_OBJECT + ") " + tag)) return new Held(c);
            if (noWait) {
                Holder h = queue().stream().filter(Holder::granted).findFirst().orElse(null);
                throw new ServerBusyException(server + " is busy" + (h == null ? "" : ": " + h.describe()), h);
            }
            return waitTurn(c, tag, listener);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private Held waitTurn(Connection c, String tag, WaitListener listener) {
        int me = backendPid(c);
        Statement blocking;
        try {
            blocking = c.createStatement();
        } catch (SQLException e) {
            throw failure(e);
        }
        CompletableFuture<Boolean> granted = CompletableFuture.supplyAsync(() -> {
            try {
                blocking.execute("SELECT pg_advisory_lock(" + KEY_CLASS + ", " + KEY_OBJECT + ") " + tag);
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, work -> {
            Thread t = new Thread(work, "pgstaging-server-lock");
            t.setDaemon(true);
            t.start();
        });
        String told = null;
        // the first look comes soon (once the wait is in pg_locks): a waiter says at once what it waits for
        long poll = FIRST_POLL_MILLIS;
        while (true) {
            try {
                granted.get(poll, TimeUnit.MILLISECONDS);
                return new Held(c);
            } catch (TimeoutException stillWaiting) {
                poll = POLL_MILLIS;
                List<Holder> queue = queueOrEmpty();
                Holder holder = queue.stream().filter(Holder::granted).findFirst().orElse(null);
                List<Holder> waiters = queue.stream().filter(h -> !h.granted()).toList();
                List<Integer> pids = waiters.stream().map(Holder::pid).toList();
                List<Holder> ahead = pids.contains(me) ? waiters.subList(0, pids.indexOf(me)) : waiters;
                String now = holder == null ? "" : holder.pid() + "/" + ahead.size();
                if (holder != null && !now.equals(told)) {
                    listener.waiting(holder, List.copyOf(ahead));
                    told = now;
                }
            } catch (InterruptedException e) {
                cancel(blocking);
                Thread.currentThread().interrupt();
                throw new PgStagingException("cancelled while waiting for " + server + ": nothing was done", null, e);
            } catch (ExecutionException e) {
                throw new PgStagingException("cannot take the lock of " + server + ": " + e.getCause().getMessage(),
                        "check that " + server.user() + " may connect to it", e.getCause());
            }
        }
    }

    /** The lock's holder, then its waiters in the order they came. */
    public List<Holder> queue() {
        try (Connection c = server.connect(maintdb); PreparedStatement ps = c.prepareStatement(
                "SELECT a.pid, l.granted, a.query, coalesce(a.query_start, a.backend_start)"
                        + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE l.locktype = 'advisory' AND l.classid = ? AND l.objid = ? AND l.objsubid = 2"
                        + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                        + " ORDER BY l.granted DESC, a.query_start")) {
            ps.setLong(1, KEY_CLASS);
            ps.setLong(2, KEY_OBJECT);
            List<Holder> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(holder(rs.getInt(1), rs.getBoolean(2), rs.getString(3), rs.getTimestamp(4)));
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private List<Holder> queueOrEmpty() {
        try {
            return queue();
        } catch (RuntimeException e) {
            return List.of();   // a status line missed is no reason to stop waiting
        }
    }

    private static Holder holder(int pid, boolean granted, String query, Timestamp since) {
        Instant at = since == null ? Instant.now() : since.toInstant();
        int start = query == null ? -1 : query.indexOf(MARK);
        int end = start < 0 ? -1 : query.indexOf(" */", start);
        if (start >= 0 && end > start) {
            try {
                JsonObject o = JsonParser.parseString(query.substring(start + MARK.length(), end)).getAsJsonObject();
                return new Holder(pid, granted, o.get("what").getAsString(), o.get("by").getAsString(), at);
            } catch (RuntimeException notOurs) {
                // fall through
            }
        }
        return new Holder(pid, granted, "an operation of server process " + pid, "unknown", at);
    }

    /** The comment naming what and who: JSON, with nothing that could end the comment early. */
    static String tag(String what, String by) {
        JsonObject o = new JsonObject();
        o.addProperty("what", what);
        o.addProperty("by", by);
        return MARK + o.toString().replace("*/", "*\\u002f") + " */";
    }

    private boolean query(Connection c, String sql) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static int backendPid(Connection c) {
        try {
            return c.unwrap(org.postgresql.PGConnection.class).getBackendPID();
        } catch (SQLException e) {
            return -1;
        }
    }

    private static void cancel(Statement st) {
        try {
            st.cancel();
        } catch (SQLException ignored) {
            // closing the connection ends the wait too
        }
        closeQuietly(statementConnection(st));
    }

    private static Connection statementConnection(Statement st) {
        try {
            return st.getConnection();
        } catch (SQLException e) {
            return null;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do
        }
    }

    private PgStagingException failure(SQLException e) {
        return new PgStagingException("cannot take the lock of " + server + ": " + e.getMessage(),
                "check that PostgreSQL is up and " + server.user() + " may connect to " + maintdb, e);
    }
}
