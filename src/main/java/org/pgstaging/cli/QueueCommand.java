package org.pgstaging.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.pgstaging.TextTable;
import org.pgstaging.job.ServerActivity;
import picocli.CommandLine.Command;

/** {@code queue}: what runs and waits on each database server, whoever started it. */
@Command(name = "queue", description = {
        "What runs and what waits on each database server (all sections, or those given), whoever started it:"
                + " the Slack bot's jobs, consoles and scripts on any machine. Read from the server's own lock,"
                + " so it is right without the bot, then the jobs the bot has queued and not started, read from"
                + " its state ([slack] state_url, or state_dir while no bot holds it)."})
final class QueueCommand extends BaseCommand {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Override
    protected void run() {
        List<ServerActivity> servers = ops().activity(arguments().sections().stream().map(this::section).toList());
        if (out().json()) {
            JsonArray a = new JsonArray();
            servers.forEach(s -> a.add(json(s)));
            out().emitJson(a);
            return;
        }
        TextTable t = new TextTable("SERVER", "#", "WHAT", "BY", "SINCE", "START");
        for (ServerActivity s : servers) {
            if (s.error() != null) {
                t.row(s.server(), "", "cannot tell: " + s.error(), "", "", "");
            } else if (s.turns().isEmpty()) {
                t.row(s.server(), "", "(idle)", "", "", "");
            }
            boolean first = true;
            for (ServerActivity.Turn turn : s.turns()) {
                t.row(first ? s.server() : "", turn.running() ? "running" : Integer.toString(turn.position()), turn.what(),
                        turn.by(), when(turn.since()), turn.estimatedStart() == null ? "" : "~" + when(turn.estimatedStart()));
                first = false;
            }
        }
        out().table(t);
    }

    private static String when(Instant at) {
        return WHEN.format(at.atZone(ZoneId.systemDefault()));
    }

    private static JsonObject json(ServerActivity s) {
        JsonObject o = new JsonObject();
        o.addProperty("server", s.server());
        JsonArray sections = new JsonArray();
        s.sections().forEach(sections::add);
        o.add("sections", sections);
        o.addProperty("error", s.error());
        JsonArray turns = new JsonArray();
        for (ServerActivity.Turn turn : s.turns()) {
            JsonObject j = new JsonObject();
            j.addProperty("position", turn.position());
            j.addProperty("running", turn.running());
            j.addProperty("what", turn.what());
            j.addProperty("by", turn.by());
            j.addProperty("since", turn.since().toString());
            j.addProperty("estimated_start", turn.estimatedStart() == null ? null : turn.estimatedStart().toString());
            turns.add(j);
        }
        o.add("turns", turns);
        return o;
    }
}
