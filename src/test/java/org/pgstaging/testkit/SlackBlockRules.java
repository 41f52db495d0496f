package org.pgstaging.testkit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits Slack's Block Kit reference documents for what the bot sends, checked on what the
 * loopback Web API receives, so a message Slack would refuse ({@code invalid_blocks}) fails the
 * test instead of passing: at most 50 blocks, section texts 3,000 characters and fields 2,000 (10
 * of them), context elements 3,000, button labels 75 and values 2,000, confirmation dialogs (title
 * 100, text 300, buttons 30), and one {@code table} block a message with 1 to 100 rows of 1 to 20
 * cells, each {@code raw_text} with some text or {@code rich_text}, and at most 20 column settings.
 * Lengths are in UTF-16 units, as the bot measures them.
 */
public final class SlackBlockRules {
    private SlackBlockRules() {}

    /** What is wrong with {@code blocks}, empty when Slack would take them. */
    public static List<String> problems(JsonArray blocks) {
        List<String> p = new ArrayList<>();
        if (blocks.size() > 50) p.add(blocks.size() + " blocks");
        int tables = 0;
        for (int i = 0; i < blocks.size(); i++) {
            JsonObject b = blocks.get(i).getAsJsonObject();
            String at = "/blocks/" + i;
            String type = string(b, "type");
            if (type == null) {
                p.add(at + ": no type");
                continue;
            }
            switch (type) {
                case "section" -> {
                    if (b.has("text")) limit(p, at + "/text", b.getAsJsonObject("text"), 3000);
                    if (b.has("fields")) {
                        JsonArray fields = b.getAsJsonArray("fields");
                        if (fields.size() > 10) p.add(at + "/fields: " + fields.size());
                        for (int f = 0; f < fields.size(); f++) limit(p, at + "/fields/" + f, fields.get(f).getAsJsonObject(), 2000);
                    }
                }
                case "context" -> {
                    JsonArray els = b.getAsJsonArray("elements");
                    for (int e = 0; e < els.size(); e++) limit(p, at + "/elements/" + e, els.get(e).getAsJsonObject(), 3000);
                }
                case "actions" -> {
                    JsonArray els = b.getAsJsonArray("elements");
                    for (int e = 0; e < els.size(); e++) button(p, at + "/elements/" + e, els.get(e).getAsJsonObject());
                }
                case "table" -> {
                    tables++;
                    table(p, at, b);
                }
                default -> { }
            }
        }
        if (tables > 1) p.add(tables + " table blocks: only one table is allowed a message");
        return p;
    }

    private static void button(List<String> p, String at, JsonObject e) {
        if (!"button".equals(string(e, "type"))) return;
        limit(p, at + "/text", e.getAsJsonObject("text"), 75);
        String value = string(e, "value");
        if (value != null && value.length() > 2000) p.add(at + "/value: " + value.length() + " characters");
        if (e.has("confirm")) {
            JsonObject c = e.getAsJsonObject("confirm");
            limit(p, at + "/confirm/title", c.getAsJsonObject("title"), 100);
            limit(p, at + "/confirm/text", c.getAsJsonObject("text"), 300);
            limit(p, at + "/confirm/confirm", c.getAsJsonObject("confirm"), 30);
            limit(p, at + "/confirm/deny", c.getAsJsonObject("deny"), 30);
        }
    }

    private static void table(List<String> p, String at, JsonObject b) {
        JsonArray rows = b.has("rows") ? b.getAsJsonArray("rows") : new JsonArray();
        if (rows.isEmpty() || rows.size() > 100) p.add(at + "/rows: " + rows.size() + " rows");
        if (b.has("column_settings") && b.getAsJsonArray("column_settings").size() > 20) p.add(at + "/column_settings: more than 20");
        for (int r = 0; r < rows.size(); r++) {
            JsonArray cells = rows.get(r).getAsJsonArray();
            if (cells.isEmpty() || cells.size() > 20) p.add(at + "/rows/" + r + ": " + cells.size() + " cells");
            for (int c = 0; c < cells.size(); c++) {
                JsonObject cell = cells.get(c).getAsJsonObject();
                String type = string(cell, "type");
                String text = string(cell, "text");
                boolean ok = "raw_text".equals(type) ? text != null && !text.isEmpty() : "rich_text".equals(type);
                if (!ok) p.add(at + "/rows/" + r + "/" + c + ": " + cell);
            }
        }
    }

    private static void limit(List<String> p, String at, JsonObject textObject, int max) {
        String text = textObject == null ? null : string(textObject, "text");
        if (text == null || text.isEmpty()) {
            p.add(at + ": no text");
        } else if (text.length() > max) {
            p.add(at + ": " + text.length() + " characters, at most " + max);
        }
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
    }
}
