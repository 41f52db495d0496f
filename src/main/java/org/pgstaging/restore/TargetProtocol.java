package org.pgstaging.restore;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;

/**
 * The lines a restore running on a database server ({@code restore_on = target}) writes for the
 * console that started it: one JSON object per line, each a {@link RestoreEvent} as the pipeline
 * emitted it, then one last line, the outcome ({@code done}) or the failure ({@code error}, with
 * what was cleaned up). And the lines the console writes back: {@code ping} every
 * {@link #PING_SECONDS} seconds, {@code cancel}.
 */
public final class TargetProtocol {
    private TargetProtocol() {}

    /** The console says it is there this often... */
    public static final int PING_SECONDS = 10;
    /** ...and the server gives up on it after this long without a word. */
    public static final int CONSOLE_SILENCE_SECONDS = 60;
    public static final String PING = "ping";
    public static final String CANCEL = "cancel";

    /** The server's last line: the restore is complete; pgbouncer is the console's to change. */
    public record Done(String database, Duration download, Duration restore, Duration vacuum, Duration total) { }

    /** The server's last line: the restore failed at {@code step}; {@code cleanup} says what was undone there. */
    public record Error(Step step, String message, String hint, String cleanup) { }

    public static String encode(RestoreEvent e) {
        JsonObject o = new JsonObject();
        o.addProperty("database", e.database());
        if (e instanceof RestoreEvent.StepStarted s) {
            o.addProperty("type", "started");
            step(o, s.step());
            o.addProperty("detail", s.detail());
        } else if (e instanceof RestoreEvent.StepProgress p) {
            o.addProperty("type", "progress");
            step(o, p.step());
            o.addProperty("done", p.done());
            o.addProperty("total", p.total());
            o.addProperty("unit", p.unit());
            o.addProperty("rate", p.ratePerSecond());
        } else if (e instanceof RestoreEvent.StepFinished f) {
            o.addProperty("type", "finished");
            step(o, f.step());
            o.addProperty("elapsed_ms", f.elapsed().toMillis());
            o.addProperty("detail", f.detail());
        } else if (e instanceof RestoreEvent.Detail d) {
            o.addProperty("type", "detail");
            step(o, d.step());
            o.addProperty("line", d.line());
        } else if (e instanceof RestoreEvent.Failed f) {
            o.addProperty("type", "failed");
            step(o, f.step());
            o.addProperty("message", f.message());
            o.addProperty("hint", f.hint());
            o.addProperty("cleanup", f.cleanup());
        } else if (e instanceof RestoreEvent.Completed c) {
            o.addProperty("type", "completed");
            o.addProperty("elapsed_ms", c.elapsed().toMillis());
            o.addProperty("switched", c.switched());
        }
        return o.toString();
    }

    public static String encode(Done d) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "done");
        o.addProperty("database", d.database());
        o.addProperty("download_ms", d.download().toMillis());
        o.addProperty("restore_ms", d.restore().toMillis());
        o.addProperty("vacuum_ms", d.vacuum().toMillis());
        o.addProperty("total_ms", d.total().toMillis());
        return o.toString();
    }

    public static String encode(Error e) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "error");
        step(o, e.step());
        o.addProperty("message", e.message());
        o.addProperty("hint", e.hint());
        o.addProperty("cleanup", e.cleanup());
        return o.toString();
    }

    /** A line of the server, decoded: a {@link RestoreEvent}, a {@link Done} or an {@link Error}. */
    public static Object decode(String line) {
        JsonObject o;
        try {
            o = JsonParser.parseString(line).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a line of pgstaging-client's restore: " + cut(line));
        }
        String type = text(o, "type");
        String db = text(o, "database");
        return switch (type == null ? "" : type) {
            case "started" -> new RestoreEvent.StepStarted(db, step(o), text(o, "detail"));
            case "progress" -> new RestoreEvent.StepProgress(db, step(o), num(o, "done"), num(o, "total"), text(o, "unit"),
                    o.has("rate") ? o.get("rate").getAsDouble() : 0);
            case "finished" -> new RestoreEvent.StepFinished(db, step(o), Duration.ofMillis(num(o, "elapsed_ms")), text(o, "detail"));
            case "detail" -> new RestoreEvent.Detail(db, step(o), text(o, "line"));
            case "failed" -> new RestoreEvent.Failed(db, step(o), text(o, "message"), text(o, "hint"), text(o, "cleanup"));
            case "completed" -> new RestoreEvent.Completed(db, Duration.ofMillis(num(o, "elapsed_ms")),
                    o.has("switched") && o.get("switched").getAsBoolean());
            case "done" -> new Done(db, ms(o, "download_ms"), ms(o, "restore_ms"), ms(o, "vacuum_ms"), ms(o, "total_ms"));
            case "error" -> new Error(step(o), text(o, "message"), text(o, "hint"), text(o, "cleanup"));
            default -> throw new IllegalArgumentException("unknown line type '" + type + "' from pgstaging-client");
        };
    }

    private static void step(JsonObject o, Step step) {
        if (step != null) o.addProperty("step", step.name());
    }

    private static Step step(JsonObject o) {
        String s = text(o, "step");
        if (s == null) return null;
        try {
            return Step.valueOf(s);
        } catch (IllegalArgumentException e) {
            return Step.CLEANUP;
        }
    }

    private static String text(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
    }

    private static long num(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsLong() : 0;
    }

    private static Duration ms(JsonObject o, String key) {
        return Duration.ofMillis(num(o, key));
    }

    private static String cut(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
