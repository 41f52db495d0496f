package org.pgstaging.backup;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** nginx {@code autoindex_format json}: {@code [{"name":..,"type":"file"|"directory"|..,"size":..}]}. */
final class JsonListing {
    private JsonListing() { }

    static List<ListingEntry> parse(String body) {
        JsonArray array;
        try {
            JsonElement root = JsonParser.parseString(body);
            if (!root.isJsonArray()) throw notAListing("the JSON document is not an array");
            array = root.getAsJsonArray();
        } catch (JsonParseException e) {
            throw notAListing("invalid JSON (" + e.getMessage() + ")");
        }
        List<ListingEntry> entries = new ArrayList<>(array.size());
        for (JsonElement el : array) {
            if (!el.isJsonObject()) throw notAListing("an element is not an object: " + el);
            JsonObject o = el.getAsJsonObject();
            if (!o.has("name") || !o.get("name").isJsonPrimitive()) throw notAListing("an element has no name: " + o);
            String type = o.has("type") ? o.get("type").getAsString() : "file";
            OptionalLong size = OptionalLong.empty();
            if (o.has("size") && o.get("size").isJsonPrimitive() && o.get("size").getAsJsonPrimitive().isNumber()) {
                size = OptionalLong.of(o.get("size").getAsLong());
            }
            // "other" (sockets, devices) cannot be dumps either; only plain files are kept as files
            entries.add(new ListingEntry(o.get("name").getAsString(), !"file".equals(type), size));
        }
        return entries;
    }

    private static BackupException notAListing(String why) {
        return new BackupException("cannot read the JSON listing: " + why,
                "backup_base_url should point to an nginx autoindex (JSON or HTML) or Apache directory listing");
    }
}
