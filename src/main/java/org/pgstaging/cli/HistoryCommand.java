package org.pgstaging.cli;

import org.pgstaging.TextTable;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.model.Change;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code history}: every change of the servers, whoever made it (consoles, scripts, the Slack bot). */
@Command(name = "history", description = {
        "Every change of the database servers, newest first, whoever made it: consoles, scripts and the Slack bot"
                + " sharing the state ([slack] state_url, else state_dir). Who, when, what, the outcome, how long each step took."})
final class HistoryCommand extends BaseCommand {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Option(names = "--since", paramLabel = "DATE", description = "Only changes started that day or later (YYYY-MM-DD or YYYYMMDD).")
    String since;
    @Option(names = "--limit", paramLabel = "N", description = "At most N changes (default 20); N may also follow SECTION.") int limit = 20;

    @Override
    protected void run() {
        if (limit < 1) throw new UsageException("--limit " + limit + " is not a number of changes", "give 1 or more");
        LocalDate from = since == null ? null : day(since);
        String section = arguments().section() == null ? null : section();
        int n = arguments().count() != null ? arguments().count() : limit;
        List<Change> changes = ops().history(section, from, n);
        if (out().json()) {
            JsonArray a = new JsonArray();
            changes.forEach(c -> a.add(json(c)));
            out().emitJson(a);
            return;
        }
        if (changes.isEmpty()) {
            out().info("(no change recorded" + (section == null ? "" : " for [" + section + "]") + ")");
            return;
        }
        TextTable t = new TextTable("#", "STARTED", "BY", "WHAT", "OUTCOME", "TOOK", "DATABASE");
        for (Change c : changes) {
            t.row(c.id(), WHEN.format(c.started().atZone(ZoneId.systemDefault())), c.by(),
                    c.kind() + " " + c.section() + (c.date() == null ? "" : " " + c.date()), outcome(c),
                    c.duration() == null ? "" : Human.duration(c.duration()), c.database());
        }
        out().table(t);
    }

    private static String outcome(Change c) {
        String o = c.outcome().code();
        return c.error() == null ? o : o + ": " + (c.error().length() > 60 ? c.error().substring(0, 59) + "…" : c.error());
    }

    private static LocalDate day(String text) {
        DateSpec d = date(text);
        return d.fixedDate(LocalDate.now()).orElseThrow(() -> new UsageException("--since needs a day, not '" + text + "'",
                "give YYYY-MM-DD or YYYYMMDD"));
    }

    private static JsonObject json(Change c) {
        JsonObject o = new JsonObject();
        o.addProperty("id", c.id());
        o.addProperty("kind", c.kind());
        o.addProperty("section", c.section());
        o.addProperty("date", c.date());
        o.addProperty("database", c.database());
        o.addProperty("server", c.server());
        o.addProperty("by", c.by());
        o.addProperty("approved_by", c.approvedBy());
        o.addProperty("started", c.started().toString());
        o.addProperty("finished", c.finished() == null ? null : c.finished().toString());
        o.addProperty("seconds", c.duration() == null ? null : c.duration().toMillis() / 1000.0);
        o.addProperty("outcome", c.outcome().code());
        o.addProperty("error", c.error());
        o.addProperty("hint", c.hint());
        o.addProperty("cleanup", c.cleanup());
        o.addProperty("dump_bytes", c.dumpBytes());
        JsonArray steps = new JsonArray();
        for (Change.StepTime s : c.steps()) {
            JsonObject st = new JsonObject();
            st.addProperty("step", s.step().toLowerCase(java.util.Locale.ROOT));
            st.addProperty("seconds", s.millis() / 1000.0);
            steps.add(st);
        }
        o.add("steps", steps);
        return o;
    }
}
