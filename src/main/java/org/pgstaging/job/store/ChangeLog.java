package org.pgstaging.job.store;

import org.pgstaging.job.model.Change;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The history of every change of the database servers, whoever made it: consoles, scripts, the
 * bot's jobs and its buttons, in {@code state_dir/history.mv.db} or the state database of
 * {@code state_url}. Unlike the bot's queue (one process owns it), this history is shared by every
 * process using the same state at the same time (on H2 through its automatic mixed mode: the first
 * opener serves the file to the others over loopback; when it exits, they reconnect), so a
 * console's history and the bot's are one.
 */
public final class ChangeLog implements AutoCloseable {
    private static final int TEXT_MAX = 4000;
    private static final Map<StateLocation, ChangeLog> SHARED = new ConcurrentHashMap<>();

    private final StateLocation where;
    private final Clock clock;
    private final StoreThread db;

    private ChangeLog(StateLocation where, Clock clock) {
        this.where = where;
        this.clock = clock;
        this.db = new StoreThread(where);
    }

    public static ChangeLog open(Path stateDir) {
        return open(StateLocation.directory(stateDir), Clock.systemUTC());
    }

    public static ChangeLog open(Path stateDir, Clock clock) {
        return open(StateLocation.directory(stateDir), clock);
    }

    /** The history kept {@code where}, opened once per process on first use and kept open until it exits. */
    public static ChangeLog shared(StateLocation where) {
        return SHARED.computeIfAbsent(where, w -> open(w, Clock.systemUTC()));
    }

    public static ChangeLog open(StateLocation where, Clock clock) {
        where.prepare();
        ChangeLog log = new ChangeLog(where, clock);
        DataSource connections = where.dataSource("history", "AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0;MAX_COMPACT_TIME=0");
        try {
            // the first opener of an H2 file serves it, the others connect to it
            log.db.open(connections::getConnection);
            Migrations.CHANGES.migrate(log.db, where, connections);
        } catch (RuntimeException e) {
            log.db.close();
            throw new JobStoreException("cannot open the history in the " + where + ": " + where.mask(e.getMessage()),
                    where.isPostgres() ? where.troubleHint()
                            : "check [slack] state_dir: every pgstaging sharing the history needs write access to it", e);
        }
        return log;
    }

    /** Where the history is kept. */
    public StateLocation location() {
        return where;
    }

    /** A change starting now; returns its id for {@link #ended}. */
    public long started(String kind, String section, String date, String server, String by, String approvedBy) {
        return started(kind, section, date, server, by, approvedBy, clock.instant());
    }

    /** A change that started at {@code at}, recorded now (its history was still opening then). */
    public long started(String kind, String section, String date, String server, String by, String approvedBy, Instant at) {
        Instant now = at;
        return db.transaction("recording a change", c -> Rows.insert(c, "INSERT INTO changes (kind, section, date_spec, "
                        + "server_key, started_by, approved_by, started_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                kind, section, date, server, clip(by), clip(approvedBy), now, Change.Outcome.RUNNING.code()));
    }

    /** How change {@code id} ended. */
    public void ended(long id, Change.Outcome outcome, String database, String error, String hint, String cleanup,
                      Long dumpBytes, List<Change.StepTime> steps) {
        Instant now = clock.instant();
        db.transaction("recording the end of a change", c -> {
            Rows.update(c, "UPDATE changes SET finished_at = ?, outcome = ?, database_name = COALESCE(?, database_name), "
                            + "error = ?, hint = ?, cleanup = ?, dump_bytes = COALESCE(?, dump_bytes) WHERE id = ?",
                    now, outcome.code(), database, clip(error), clip(hint), clip(cleanup), dumpBytes, id);
            Rows.update(c, "DELETE FROM change_steps WHERE change_id = ?", id);
            int seq = 0;
            for (Change.StepTime s : steps) {
                Rows.update(c, "INSERT INTO change_steps (change_id, seq, step, millis) VALUES (?, ?, ?, ?)",
                        id, ++seq, s.step(), s.millis());
            }
            return null;
        });
    }

    /** A change recorded once it ended (the bot's jobs, whose own store lives elsewhere). */
    public long recorded(Change c) {
        long id = db.transaction("recording a change", conn -> Rows.insert(conn, "INSERT INTO changes (kind, section, date_spec, "
                        + "database_name, server_key, started_by, approved_by, started_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                c.kind(), c.section(), c.date(), c.database(), c.server(), clip(c.by()), clip(c.approvedBy()), c.started(),
                Change.Outcome.RUNNING.code()));
        ended(id, c.outcome(), c.database(), c.error(), c.hint(), c.cleanup(), c.dumpBytes(), c.steps());
        return id;
    }

    /**
     * Changes of {@code server} still RUNNING when the caller holds that server's lock: whoever made
     * them died before they ended (a change is recorded only once it holds the lock). Marks them DIED.
     */
    public int died(String server, String why) {
        Instant now = clock.instant();
        return db.transaction("closing dead changes", c -> Rows.update(c, "UPDATE changes SET outcome = ?, finished_at = ?, "
                + "error = ? WHERE server_key = ? AND outcome = ?", Change.Outcome.DIED.code(), now, clip(why), server,
                Change.Outcome.RUNNING.code()));
    }

    /** Changes newest first: of one section (null: all), started since {@code since} (null: ever), at most {@code limit}. */
    public List<Change> read(String section, Instant since, int limit) {
        if (limit < 1) throw new JobStoreException("history limit must be at least 1, got " + limit, "ask for 1 or more");
        return db.transaction("reading the history", c -> {
            StringBuilder where = new StringBuilder("WHERE 1 = 1");
            List<Object> params = new ArrayList<>();
            if (section != null) {
                where.append(" AND section = ?");
                params.add(section);
            }
            if (since != null) {
                where.append(" AND started_at >= ?");
                params.add(since);
            }
            params.add(limit);
            Map<Long, Change> byId = new LinkedHashMap<>();
            try (PreparedStatement ps = Rows.prepare(c, "SELECT id, kind, section, date_spec, database_name, server_key, "
                    + "started_by, approved_by, started_at, finished_at, outcome, error, hint, cleanup, dump_bytes FROM changes "
                    + where + " ORDER BY id DESC FETCH FIRST ? ROWS ONLY", params.toArray()); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    byId.put(id, new Change(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9), instant(rs, 10),
                            Change.Outcome.valueOf(rs.getString(11).toUpperCase(java.util.Locale.ROOT)), rs.getString(12),
                            rs.getString(13), rs.getString(14), rs.getObject(15) == null ? null : rs.getLong(15), new ArrayList<>()));
                }
            }
            if (!byId.isEmpty()) {
                String ids = String.join(", ", byId.keySet().stream().map(String::valueOf).toList());
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT change_id, step, millis FROM change_steps WHERE change_id IN (" + ids + ") ORDER BY change_id, seq")) {
                    while (rs.next()) byId.get(rs.getLong(1)).steps().add(new Change.StepTime(rs.getString(2), rs.getLong(3)));
                }
            }
            List<Change> out = new ArrayList<>();
            for (Change ch : byId.values()) out.add(withFrozenSteps(ch));
            return out;
        });
    }

    private static Change withFrozenSteps(Change c) {
        return new Change(c.id(), c.kind(), c.section(), c.date(), c.database(), c.server(), c.by(), c.approvedBy(), c.started(),
                c.finished(), c.outcome(), c.error(), c.hint(), c.cleanup(), c.dumpBytes(), List.copyOf(c.steps()));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String clip(String text) {
        return Rows.clip(text, TEXT_MAX);
    }

    @Override
    public void close() {
        db.close();
    }
}
