package org.pgstaging.restore;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.pgstaging.PgStagingException;

/**
 * What a console sends pgstaging-client to restore on the database server, as one JSON line on its
 * standard input (never on the command line, which other users of the server can read): the
 * section's resolved options, the dump's date (the console resolved latest/oldest/today against
 * the listing), the database to create, the pre and post SQL files' contents (sql_path is on the
 * console), and the console's PGPASSWORD if it has one.
 */
public record TargetRestoreRequest(String section, Map<String, String> options, LocalDate date, String database,
                                   List<SqlFile> pre, List<SqlFile> post, String password) {
    /** Far above any real request; the request is read whole, so it is bounded. */
    public static final int MAX_BYTES = 32 * 1024 * 1024;
    private static final Pattern SQL_NAME = Pattern.compile("[A-Za-z0-9_.+-]{1,200}\\.sql");

    /** One SQL file: its name (sorted order is run order) and its text. */
    public record SqlFile(String name, String text) {
        public SqlFile {
            if (name == null || !SQL_NAME.matcher(name).matches() || name.startsWith(".")) {
                throw new PgStagingException("refusing SQL file name '" + name + "'",
                        "SQL files are named like 01-setup.sql (letters, digits, . _ + -)");
            }
            if (text == null) throw new PgStagingException("SQL file " + name + " has no text", null);
        }
    }

    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("section", section);
        JsonObject opts = new JsonObject();
        options.forEach(opts::addProperty);
        o.add("options", opts);
        o.addProperty("date", date.toString());
        o.addProperty("database", database);
        o.add("pre", files(pre));
        o.add("post", files(post));
        if (password != null) o.addProperty("password", password);
        return o.toString();
    }

    private static JsonArray files(List<SqlFile> files) {
        JsonArray a = new JsonArray();
        for (SqlFile f : files) {
            JsonObject o = new JsonObject();
            o.addProperty("name", f.name());
            o.addProperty("text", f.text());
            a.add(o);
        }
        return a;
    }

    /** Reads a request, refusing anything not shaped as {@link #toJson()} writes it. */
    public static TargetRestoreRequest fromJson(String json) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            Map<String, String> options = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("options").entrySet()) {
                options.put(e.getKey(), e.getValue().getAsString());
            }
            return new TargetRestoreRequest(o.get("section").getAsString(), options,
                    LocalDate.parse(o.get("date").getAsString()), o.get("database").getAsString(),
                    files(o.getAsJsonArray("pre")), files(o.getAsJsonArray("post")),
                    o.has("password") && !o.get("password").isJsonNull() ? o.get("password").getAsString() : null);
        } catch (DateTimeParseException e) {
            throw new PgStagingException("the restore request's date is not a date: " + e.getParsedString(), null);
        } catch (RuntimeException e) {
            if (e instanceof PgStagingException p) throw p;
            throw new PgStagingException("the restore request is not what pgstaging sends: " + e.getMessage(),
                    "run the same pgstaging version on the console and the server");
        }
    }

    private static List<SqlFile> files(JsonArray a) {
        List<SqlFile> out = new ArrayList<>();
        for (JsonElement e : a) {
            JsonObject f = e.getAsJsonObject();
            out.add(new SqlFile(f.get("name").getAsString(), f.get("text").getAsString()));
        }
        return out;
    }

    @Override
    public String toString() {
        return "TargetRestoreRequest[" + section + " " + date + " -> " + database + "]";   // never the password
    }
}
