package org.pgstaging.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.function.Function;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.job.CatalogReport;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.job.PgbouncerDatabase;
import org.pgstaging.job.RestoreResult;
import org.pgstaging.job.TriggerInfo;

/**
 * The --json shapes. Field names are spelled out here (snake_case) rather than derived from the
 * records, so renaming a Java component never silently breaks a user's script.
 */
final class JsonViews {
    private JsonViews() {}

    static JsonObject restore(RestoreResult r) {
        JsonObject o = new JsonObject();
        o.addProperty("section", r.section());
        o.addProperty("database", r.database());
        o.addProperty("switched", r.switched());
        o.add("download_seconds", seconds(r.download()));
        o.add("restore_seconds", seconds(r.restore()));
        o.add("vacuum_seconds", seconds(r.vacuum()));
        o.add("total_seconds", seconds(r.total()));
        return o;
    }

    static JsonObject database(DatabaseInfo d) {
        JsonObject o = new JsonObject();
        o.addProperty("section", d.section());
        o.addProperty("database", d.database());
        o.add("date", date(d.date()));
        o.addProperty("active", d.active());
        o.addProperty("exists_in_postgres", d.existsInPostgres());
        o.addProperty("incomplete", d.incomplete());
        o.addProperty("pgbouncer_entry", d.pgbouncerEntry());
        return o;
    }

    static JsonObject size(DatabaseSize s) {
        JsonObject o = new JsonObject();
        o.addProperty("section", s.section());
        o.addProperty("database", s.database());
        o.add("bytes", s.bytes() < 0 ? JsonNull.INSTANCE : new JsonPrimitive(s.bytes()));
        o.addProperty("size", Human.size(s.bytes()));
        o.addProperty("active", s.active());
        o.addProperty("incomplete", s.incomplete());
        return o;
    }

    static JsonObject backup(BackupFile b) {
        JsonObject o = new JsonObject();
        o.addProperty("dbname", b.dbname());
        o.add("date", date(b.date()));
        o.addProperty("file", b.fileName());
        o.addProperty("location", b.location() == null ? null : b.location().toString());
        o.add("bytes", b.size() != null && b.size().isPresent() ? new JsonPrimitive(b.size().getAsLong()) : JsonNull.INSTANCE);
        return o;
    }

    static JsonObject pgbouncer(PgbouncerDatabase p, boolean active) {
        JsonObject o = new JsonObject();
        o.addProperty("name", p.name());
        o.addProperty("database", p.database());
        o.addProperty("host", p.host());
        o.addProperty("port", p.port());
        o.addProperty("paused", p.paused());
        o.addProperty("active", active);
        return o;
    }

    static JsonObject trigger(TriggerInfo t) {
        JsonObject o = new JsonObject();
        o.addProperty("schema", t.schema());
        o.addProperty("table", t.table());
        o.addProperty("trigger", t.trigger());
        o.addProperty("function", t.function());
        o.addProperty("dropped", t.dropped());
        return o;
    }

    static JsonObject catalog(CatalogReport r) {
        JsonObject o = new JsonObject();
        o.addProperty("entries", r.entries());
        o.addProperty("kept", r.kept());
        o.add("excluded_schemas", strings(r.excludedSchemas()));
        o.add("nodata_tables", strings(r.nodataTables()));
        o.add("dropped_triggers", strings(r.droppedTriggers()));
        o.add("dependency_drops", strings(r.dependencyDrops()));
        o.add("conflicts", strings(r.conflicts()));
        o.addProperty("summary", r.summary());
        return o;
    }

    /** {@code {"key": value}} for single-value results. */
    static JsonObject single(String key, String value) {
        JsonObject o = new JsonObject();
        o.addProperty(key, value);
        return o;
    }

    static JsonObject single(String key, JsonElement value) {
        JsonObject o = new JsonObject();
        o.add(key, value);
        return o;
    }

    static <T> JsonArray array(Collection<T> items, Function<T, ? extends JsonElement> view) {
        JsonArray a = new JsonArray();
        for (T t : items) a.add(view.apply(t));
        return a;
    }

    static JsonArray strings(Collection<?> items) {
        JsonArray a = new JsonArray();
        if (items != null) for (Object s : items) a.add(String.valueOf(s));
        return a;
    }

    static JsonElement path(Path p) {
        return p == null ? JsonNull.INSTANCE : new JsonPrimitive(p.toString());
    }

    private static JsonElement seconds(Duration d) {
        return d == null ? JsonNull.INSTANCE : new JsonPrimitive(d.toMillis() / 1000.0);
    }

    private static JsonElement date(LocalDate d) {
        return d == null ? JsonNull.INSTANCE : new JsonPrimitive(d.toString());
    }
}
