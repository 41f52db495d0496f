package org.pgstaging.slack;

import org.pgstaging.TextTable;
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
import org.pgstaging.job.ServerActivity;
import org.pgstaging.job.PgbouncerDatabase;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.model.JobState;

/** The listings as aligned monospace tables, with human sizes and totals, each within one section's limit. */
public final class Tables {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.systemDefault());

    /** Slack's limit for a section text, minus room for the fences and the "more" line. */
    static final int MAX_CHARS = 2900;

    private Tables() {}

    /** The table in a ``` block: header, a rule, rows, and the footers under a rule of their own. */
    public static String fenced(TextTable table) {
        return fenced(table, MAX_CHARS);
    }

    /**
     * At most {@code maxChars} long: rows that do not fit give way to a "… N more" line instead of
     * failing the call; the footers are never cut. Lines are escaped for mrkdwn after alignment
     * (Slack shows {@code &amp;} as one character) and backquotes cannot close the block.
     */
    public static String fenced(TextTable table, int maxChars) {
        TextTable.Layout layout = table.layout(true);
        List<String> tail = new ArrayList<>();
        if (!layout.footers().isEmpty()) {
            tail.add(layout.rule());
            layout.footers().forEach(f -> tail.add(inBlock(f)));
        }
        int budget = maxChars - 8 - tail.stream().mapToInt(s -> s.length() + 1).sum();
        StringBuilder out = new StringBuilder("```\n").append(inBlock(layout.header())).append('\n').append(layout.rule()).append('\n');
        int shown = 0;
        List<String> rows = layout.rows();
        for (String row : rows) {
            String l = inBlock(row);
            int reserve = rows.size() - shown - 1 > 0 ? 20 : 0;
            if (out.length() + l.length() + 1 + reserve > budget) break;
            out.append(l).append('\n');
            shown++;
        }
        if (shown < rows.size()) out.append("… ").append(rows.size() - shown).append(" more\n");
        tail.forEach(t -> out.append(t).append('\n'));
        return out.append("```").toString();
    }

    private static String inBlock(String line) {
        return Mrkdwn.escape(line).replace('`', '\'');
    }

    public static String dbsizes(List<DatabaseSize> sizes) {
        if (sizes.isEmpty()) return "_no dated copies_";
        TextTable t = new TextTable("section", "database", "size", "active").alignRight(2);
        long total = 0;
        for (DatabaseSize s : sizes) {
            t.row(s.section(), s.incomplete() ? s.database() + " (INCOMPLETE)" : s.database(), Human.bytes(s.bytes()),
                    s.active() ? "*" : "");
            if (s.bytes() > 0) total += s.bytes();
        }
        return fenced(t.footer("total", sizes.size() + " copies", Human.bytes(total), ""));
    }

    public static String databases(List<DatabaseInfo> dbs) {
        if (dbs.isEmpty()) return "_no dated copies_";
        TextTable t = new TextTable("database", "date", "active", "postgres", "pgbouncer");
        for (DatabaseInfo d : dbs) {
            t.row(d.database(), d.date() == null ? "" : d.date().toString(), d.active() ? "*" : "",
                    !d.existsInPostgres() ? "MISSING" : d.incomplete() ? "INCOMPLETE" : "yes",
                    d.pgbouncerEntry() == null ? "" : d.pgbouncerEntry());
        }
        return fenced(t);
    }

    public static String backups(List<BackupFile> files) {
        if (files.isEmpty()) return "_no backups found_";
        TextTable t = new TextTable("file", "date", "size").alignRight(2);
        long total = 0;
        for (BackupFile f : files) {
            t.row(f.fileName(), f.date().toString(), f.size().isPresent() ? Human.bytes(f.size().getAsLong()) : "?");
            total += f.size().orElse(0);
        }
        return fenced(t.footer(files.size() + " files", "", Human.bytes(total)));
    }

    public static String pgbouncer(List<PgbouncerDatabase> dbs) {
        if (dbs.isEmpty()) return "_pgbouncer knows no database of this section_";
        TextTable t = new TextTable("name", "database", "host", "port", "paused").alignRight(3);
        dbs.forEach(d -> t.row(d.name(), d.database(), d.host(), Integer.toString(d.port()), d.paused() ? "paused" : ""));
        return fenced(t);
    }

    public static String catalog(CatalogReport r) {
        return Messages.filterSummary(r);
    }

    public static String connections(List<ConnectedClient> list) {
        TextTable t = new TextTable("via", "database", "user", "application", "address", "state");
        list.forEach(c -> t.row(nz(c.via()), nz(c.database()), nz(c.user()), nz(c.application()), nz(c.address()), nz(c.state())));
        return fenced(t, 1500);
    }

    /** Jobs with requesters by name (user IDs do not render as mentions inside a code block). */
    public static String queue(List<JobView> jobs, Function<String, String> userName) {
        if (jobs.isEmpty()) return "_the queue is empty_";
        TextTable t = new TextTable("#", "job", "what", "section", "date", "by", "status", "start", "finish");
        for (JobView j : jobs) {
            t.row(j.position() > 0 ? Integer.toString(j.position()) : "", j.id(), j.kind().code(), j.section(), nz(j.date()),
                    userName.apply(j.requesterId()), status(j.state()),
                    j.estimatedStart() == null ? "" : WHEN.format(j.estimatedStart()),
                    j.estimatedFinish() == null ? "" : WHEN.format(j.estimatedFinish()));
        }
        return fenced(t);
    }

    /**
     * What else runs or waits on the servers (consoles, scripts, buttons): the server's own lock,
     * without the bot's jobs, which the queue table shows. Null when there is nothing else to say.
     */
    public static String outsideJobs(List<ServerActivity> servers, Function<String, String> userName) {
        TextTable t = new TextTable("server", "#", "what", "by", "since");
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
        return rows == 0 ? null : fenced(t);
    }

    /** Every change recorded, whoever made it: the bot's jobs and buttons, consoles and scripts. */
    public static String history(List<Change> changes, Function<String, String> userName) {
        if (changes.isEmpty()) return "_no change recorded yet_";
        TextTable t = new TextTable("#", "what", "section", "date", "by", "outcome", "started", "took");
        for (Change c : changes) {
            t.row(Long.toString(c.id()), c.kind(), c.section(), nz(c.date()), who(c.by(), userName), c.outcome().code(),
                    WHEN.format(c.started()), c.duration() == null ? "" : Human.duration(c.duration()));
        }
        return fenced(t);
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
        TextTable t = new TextTable("", a.database(), b == null ? "" : b.database()).alignRight(1, 2);
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
        return fenced(t, 1400);
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
