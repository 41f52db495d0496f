package org.pgstaging.cli;

import org.pgstaging.TextTable;
import com.google.gson.JsonObject;
import java.util.Collection;
import org.pgstaging.job.RestoreResult;

/** Small results shared by several commands, in human and JSON form. */
final class Render {
    private Render() {}

    static void restore(Output out, RestoreResult r, boolean dryRun) {
        if (out.json()) {
            JsonObject o = JsonViews.restore(r);
            if (dryRun) o.addProperty("dry_run", true);
            out.emitJson(o);
            return;
        }
        if (out.quiet()) {
            out.result(r.database());
            return;
        }
        if (dryRun) {
            // the timings of a dry run measure nothing: say what would be made instead
            out.result("dry run, nothing changed: the restore would create " + r.database() + " for ["
                    + r.section() + "]");
            return;
        }
        out.result("restored " + r.database() + " for [" + r.section() + "]"
                + (r.switched() ? "; the pgbouncer alias now points to it" : "; the pgbouncer alias was not switched"));
        TextTable t = new TextTable("STEP", "TIME").alignRight(1);
        t.row("download", Human.duration(r.download()));
        t.row("restore", Human.duration(r.restore()));
        t.row("vacuum", Human.duration(r.vacuum()));
        t.footer("total", Human.duration(r.total()));
        for (String line : t.lines(false)) out.result("  " + line);
    }

    /** One value: the bare value for humans, {@code {"key": value}} for scripts. */
    static void value(Output out, String key, String value) {
        if (out.json()) {
            out.emitJson(JsonViews.single(key, value));
        } else {
            out.result(value == null ? "" : value);
        }
    }

    /**
     * One value said in a sentence for humans ({@code human} is a format with one %s), bare with
     * -q so that shell scripts can capture it, {@code {"key": value}} with --json.
     */
    static void value(Output out, String key, String value, String human) {
        if (out.json() || out.quiet() || value == null) {
            value(out, key, value);
        } else {
            out.result(String.format(human, value));
        }
    }

    /** A list of names, one per line; "(none)" is only a courtesy, dropped with -q. */
    static void list(Output out, String key, Collection<?> items) {
        list(out, key, items, "%s", "(none)");
    }

    /**
     * A list, one item per line: said with {@code human} (a format with one %s), bare with -q;
     * {@code none} is the courtesy line for an empty list, dropped with -q.
     */
    static void list(Output out, String key, Collection<?> items, String human, String none) {
        if (out.json()) {
            out.emitJson(JsonViews.single(key, JsonViews.strings(items)));
            return;
        }
        if (items.isEmpty()) out.info(none);
        for (Object item : items) out.result(out.quiet() ? String.valueOf(item) : String.format(human, item));
    }

    /** Acknowledges an operation with no value to return. */
    static void done(Output out, String message) {
        if (out.json()) {
            JsonObject o = new JsonObject();
            o.addProperty("ok", true);
            o.addProperty("message", message);
            out.emitJson(o);
        } else {
            out.info(message);
        }
    }
}
