package org.pgstaging.cli;

import com.google.gson.JsonObject;
import java.util.Collection;
import org.pgstaging.job.RestoreResult;

/** Small results shared by several commands, in human and JSON form. */
final class Render {
    private Render() {}

    static void restore(Output out, RestoreResult r) {
        if (out.json()) {
            out.emitJson(JsonViews.restore(r));
            return;
        }
        if (out.quiet()) {
            out.result(r.database());
            return;
        }
        out.result("restored " + r.database() + " for [" + r.section() + "]"
                + (r.switched() ? "; the pgbouncer alias now points to it" : "; the pgbouncer alias was not switched"));
        Table t = new Table("STEP", "TIME").alignRight(1);
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

    /** A list of names, one per line; "(none)" is only a courtesy, dropped with -q. */
    static void list(Output out, String key, Collection<?> items) {
        if (out.json()) {
            out.emitJson(JsonViews.single(key, JsonViews.strings(items)));
            return;
        }
        if (items.isEmpty()) out.info("(none)");
        for (Object item : items) out.result(String.valueOf(item));
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
