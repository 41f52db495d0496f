package org.pgstaging.slack;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.job.ConnectedClient;
import org.pgstaging.job.CopyComparison;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.job.JobView;
import org.pgstaging.job.ServerActivity;
import org.pgstaging.job.PgbouncerDatabase;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.model.JobState;

/**
 * The listings as {@link SlackTable}s, with human sizes, totals and numbers right-aligned: the
 * callers show each as a table block or in a code block.
 */
public final class Tables {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private Tables() {}

    public static SlackTable dbsizes(List<DatabaseSize> sizes) {
        SlackTable t = new SlackTable("section", "database", "size", "active").alignRight(2);
        long total = 0;
        for (DatabaseSize s : sizes) {
            t.row(s.section(), s.incomplete() ? s.database() + " (INCOMPLETE)" : s.database(), Human.bytes(s.bytes()),
                    s.active() ? "*" : "");
            if (s.bytes() > 0) total += s.bytes();
        }
        return sizes.isEmpty() ? t : t.footer("total", sizes.size() + " copies", Human.bytes(total), "");
    }

    public static SlackTable databases(List<DatabaseInfo> dbs) {
        SlackTable t = new SlackTable("database", "date", "active", "postgres", "pgbouncer");
        for (DatabaseInfo d : dbs) {
            t.row(d.database(), d.date() == null ? "" : d.date().toString(), d.active() ? "*" : "",
                    !d.existsInPostgres() ? "MISSING" : d.incomplete() ? "INCOMPLETE" : "yes",
                    d.pgbouncerEntry() == null ? "" : d.pgbouncerEntry());
        }
        return t;
    }

    public static SlackTable backups(List<BackupFile> files) {
        SlackTable t = new SlackTable("file", "date", "size").alignRight(2);
        long total = 0;
        for (BackupFile f : files) {
            t.row(f.fileName(), f.date().toString(), f.size().isPresent() ? Human.bytes(f.size().getAsLong()) : "?");
            total += f.size().orElse(0);
        }
        return files.isEmpty() ? t : t.footer(files.size() + " files", "", Human.bytes(total));
    }

    public static SlackTable pgbouncer(List<PgbouncerDatabase> dbs) {
        SlackTable t = new SlackTable("name", "database", "host", "port", "paused").alignRight(3);
        dbs.forEach(d -> t.row(d.name(), d.database(), d.host(), Integer.toString(d.port()), d.paused() ? "paused" : ""));
        return t;
    }

    public static SlackTable connections(List<ConnectedClient> list) {
        SlackTable t = new SlackTable("via", "database", "user", "application", "address", "state");
        list.forEach(c -> t.row(c.via(), c.database(), c.user(), c.application(), c.address(), c.state()));
        return t;
    }

    /** Jobs with requesters by name (user IDs do not render as mentions inside a code block). */
    public static SlackTable queue(List<JobView> jobs, Function<String, String> userName) {
        SlackTable t = new SlackTable("#", "job", "what", "section", "date", "by", "status", "start", "finish");
        for (JobView j : jobs) {
            t.row(j.position() > 0 ? Integer.toString(j.position()) : "", j.id(), j.kind().code(), j.section(), j.date(),
                    userName.apply(j.requesterId()), status(j.state()),
                    j.estimatedStart() == null ? "" : WHEN.format(j.estimatedStart()),
                    j.estimatedFinish() == null ? "" : WHEN.format(j.estimatedFinish()));
        }
        return t.alignRight(0);
    }

    /**
     * What else runs or waits on the servers (consoles, scripts, buttons): the server's own lock,
     * without the bot's jobs, which the queue table shows. Null when there is nothing else to say.
     */
    public static SlackTable outsideJobs(List<ServerActivity> servers, Function<String, String> userName) {
        SlackTable t = new SlackTable("server", "#", "what", "by", "since");
        int rows = 0;
        for (ServerActivity s : servers) {
            if (s.error() != null) {
                t.row(s.server(), "", "cannot tell: " + s.error(), "", "");
                rows++;
            }
            for (ServerActivity.Turn turn : s.turns()) {
                if (turn.jobId() != null) continue;
                t.row(s.server(), turn.running() ? "running" : Integer.toString(turn.position()), turn.what(),
                        who(turn.by(), userName), WHEN.format(turn.since()));
                rows++;
            }
        }
        return rows == 0 ? null : t;
    }

    /** Every change recorded, whoever made it: the bot's jobs and buttons, consoles and scripts. */
    public static SlackTable history(List<Change> changes, Function<String, String> userName) {
        SlackTable t = new SlackTable("#", "what", "section", "date", "by", "outcome", "started", "took").alignRight(0, 7);
        for (Change c : changes) {
            t.row(Long.toString(c.id()), c.kind(), c.section(), c.date(), who(c.by(), userName), c.outcome().code(),
                    WHEN.format(c.started()), c.duration() == null ? "" : Human.duration(c.duration()));
        }
        return t;
    }

    private static final java.util.regex.Pattern SLACK_USER_ID = java.util.regex.Pattern.compile("\\b[UW][A-Z0-9]{6,}\\b");

    /** Who started a change: Slack users by name, anyone else as recorded ({@code user@host (console)}). */
    private static String who(String by, Function<String, String> userName) {
        String text = by.startsWith("Slack user ") ? by.substring("Slack user ".length()) : by;
        return SLACK_USER_ID.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(userName.apply(m.group())));
    }


    /** Fresh copy against the other: size, table count, estimated rows of the largest tables of either. */
    static SlackTable comparison(CopyComparison c) {
        CopyComparison.DbStats a = c.fresh();
        CopyComparison.DbStats b = c.other();
        if (b == null) {
            SlackTable t = new SlackTable("copy", a.database()).alignRight(1);
            t.row("size", Human.bytes(a.bytes()));
            t.row("tables", Human.count(a.tables()));
            rows(a).forEach((table, n) -> t.row(table + " rows", Human.count(n)));
            return t;
        }
        SlackTable t = new SlackTable("copy", a.database(), b.database()).alignRight(1, 2);
        t.row("size", Human.bytes(a.bytes()), Human.bytes(b.bytes()));
        t.row("tables", Human.count(a.tables()), Human.count(b.tables()));
        Map<String, Long> rowsA = rows(a);
        Map<String, Long> rowsB = rows(b);
        Set<String> names = new LinkedHashSet<>(rowsA.keySet());
        names.addAll(rowsB.keySet());
        for (String n : names) {
            t.row(n + " rows", Optional.ofNullable(rowsA.get(n)).map(Human::count).orElse("-"),
                    Optional.ofNullable(rowsB.get(n)).map(Human::count).orElse("-"));
        }
        return t;
    }

    private static Map<String, Long> rows(CopyComparison.DbStats s) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (CopyComparison.TableEstimate e : s.largestTables() == null ? new ArrayList<CopyComparison.TableEstimate>() : s.largestTables()) {
            m.put(e.table(), e.rows());
        }
        return m;
    }

    private static String status(JobState s) {
        return s.name().toLowerCase().replace('_', ' ');
    }
}
