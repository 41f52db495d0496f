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
import org.pgstaging.job.CatalogReport;
import org.pgstaging.job.ConnectedClient;
import org.pgstaging.job.CopyComparison;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.job.JobView;
import org.pgstaging.job.PgbouncerDatabase;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.model.JobState;

/** The listings as aligned monospace tables, with human sizes and totals, each within one section's limit. */
public final class Tables {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private Tables() {}

    public static String dbsizes(List<DatabaseSize> sizes) {
        if (sizes.isEmpty()) return "_no dated copies_";
        TextTable t = new TextTable(List.of("section", "database", "size", "active"), false, false, true, false);
        long total = 0;
        for (DatabaseSize s : sizes) {
            t.row(s.section(), s.incomplete() ? s.database() + " (INCOMPLETE)" : s.database(), Human.bytes(s.bytes()),
                    s.active() ? "*" : "");
            if (s.bytes() > 0) total += s.bytes();
        }
        return t.footer("total", sizes.size() + " copies", Human.bytes(total), "").render();
    }

    public static String databases(List<DatabaseInfo> dbs) {
        if (dbs.isEmpty()) return "_no dated copies_";
        TextTable t = new TextTable(List.of("database", "date", "active", "postgres", "pgbouncer"));
        for (DatabaseInfo d : dbs) {
            t.row(d.database(), d.date() == null ? "" : d.date().toString(), d.active() ? "*" : "",
                    !d.existsInPostgres() ? "MISSING" : d.incomplete() ? "INCOMPLETE" : "yes",
                    d.pgbouncerEntry() == null ? "" : d.pgbouncerEntry());
        }
        return t.render();
    }

    public static String backups(List<BackupFile> files) {
        if (files.isEmpty()) return "_no backups found_";
        TextTable t = new TextTable(List.of("file", "date", "size"), false, false, true);
        long total = 0;
        for (BackupFile f : files) {
            t.row(f.fileName(), f.date().toString(), f.size().isPresent() ? Human.bytes(f.size().getAsLong()) : "?");
            total += f.size().orElse(0);
        }
        return t.footer(files.size() + " files", "", Human.bytes(total)).render();
    }

    public static String pgbouncer(List<PgbouncerDatabase> dbs) {
        if (dbs.isEmpty()) return "_pgbouncer knows no database of this section_";
        TextTable t = new TextTable(List.of("name", "database", "host", "port", "paused"), false, false, false, true, false);
        dbs.forEach(d -> t.row(d.name(), d.database(), d.host(), Integer.toString(d.port()), d.paused() ? "paused" : ""));
        return t.render();
    }

    public static String catalog(CatalogReport r) {
        return Messages.filterSummary(r);
    }

    public static String connections(List<ConnectedClient> list) {
        TextTable t = new TextTable(List.of("via", "database", "user", "application", "address", "state"));
        list.forEach(c -> t.row(nz(c.via()), nz(c.database()), nz(c.user()), nz(c.application()), nz(c.address()), nz(c.state())));
        return t.render(1500);
    }

    /** Jobs with requesters by name (user IDs do not render as mentions inside a code block). */
    public static String queue(List<JobView> jobs, Function<String, String> userName) {
        if (jobs.isEmpty()) return "_the queue is empty_";
        TextTable t = new TextTable(List.of("#", "job", "what", "section", "date", "by", "status", "start", "finish"));
        for (JobView j : jobs) {
            t.row(j.position() > 0 ? Integer.toString(j.position()) : "", j.id(), j.kind().code(), j.section(), nz(j.date()),
                    userName.apply(j.requesterId()), status(j.state()),
                    j.estimatedStart() == null ? "" : WHEN.format(j.estimatedStart()),
                    j.estimatedFinish() == null ? "" : WHEN.format(j.estimatedFinish()));
        }
        return t.render();
    }

    /** Every change recorded, whoever made it: the bot's jobs and buttons, consoles and scripts. */
    public static String history(List<Change> changes, Function<String, String> userName) {
        if (changes.isEmpty()) return "_no change recorded yet_";
        TextTable t = new TextTable(List.of("#", "what", "section", "date", "by", "outcome", "started", "took"));
        for (Change c : changes) {
            t.row(Long.toString(c.id()), c.kind(), c.section(), nz(c.date()), who(c.by(), userName), c.outcome().code(),
                    WHEN.format(c.started()), c.duration() == null ? "" : Human.duration(c.duration()));
        }
        return t.render();
    }

    private static final java.util.regex.Pattern SLACK_USER_ID = java.util.regex.Pattern.compile("\\b[UW][A-Z0-9]{6,}\\b");

    /** Who started a change: Slack users by name, anyone else as recorded ({@code user@host (console)}). */
    private static String who(String by, Function<String, String> userName) {
        String text = by.startsWith("Slack user ") ? by.substring("Slack user ".length()) : by;
        return SLACK_USER_ID.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(userName.apply(m.group())));
    }


    /** Fresh copy against the other: size, table count, estimated rows of the largest tables of either. */
    static String comparison(CopyComparison c) {
        CopyComparison.DbStats a = c.fresh();
        CopyComparison.DbStats b = c.other();
        TextTable t = new TextTable(List.of("", a.database(), b == null ? "" : b.database()), false, true, true);
        t.row("size", Human.bytes(a.bytes()), b == null ? "" : Human.bytes(b.bytes()));
        t.row("tables", Human.count(a.tables()), b == null ? "" : Human.count(b.tables()));
        Map<String, Long> rowsA = rows(a);
        Map<String, Long> rowsB = b == null ? Map.of() : rows(b);
        Set<String> names = new LinkedHashSet<>(rowsA.keySet());
        names.addAll(rowsB.keySet());
        for (String n : names) {
            t.row(n + " rows", Optional.ofNullable(rowsA.get(n)).map(Human::count).orElse("-"),
                    b == null ? "" : Optional.ofNullable(rowsB.get(n)).map(Human::count).orElse("-"));
        }
        return t.render(1400);
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

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
