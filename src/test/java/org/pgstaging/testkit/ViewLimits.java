package org.pgstaging.testkit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What Slack refuses in a view (views.open, views.update, views.publish), as the Block Kit reference
 * states the limits: the loopback Web API answers {@code invalid_arguments} with these messages, as
 * Slack does in {@code response_metadata.messages}, so a view the bot builds wrong fails its test.
 */
public final class ViewLimits {
    private final List<String> problems = new ArrayList<>();
    private final Set<String> blockIds = new HashSet<>();

    private ViewLimits() {}

    /** Empty when Slack would take {@code view}; else one "[ERROR] … [json-pointer:…]" line a problem. */
    public static List<String> problems(JsonObject view) {
        ViewLimits v = new ViewLimits();
        v.view(view);
        return v.problems;
    }

    private void view(JsonObject view) {
        String type = string(view, "type");
        if (!"modal".equals(type) && !"home".equals(type)) fail("/view/type", "must be modal or home, not " + type);
        JsonArray blocks = view.has("blocks") ? view.getAsJsonArray("blocks") : new JsonArray();
        max("/view/blocks", blocks.size(), 100, "items");
        max("/view/private_metadata", length(string(view, "private_metadata")), 3000, "characters");
        max("/view/callback_id", length(string(view, "callback_id")), 255, "characters");
        boolean inputs = false;
        for (int i = 0; i < blocks.size(); i++) {
            JsonObject b = blocks.get(i).getAsJsonObject();
            inputs |= "input".equals(string(b, "type"));
            block("/view/blocks/" + i, b);
        }
        if ("modal".equals(type)) {
            if (!view.has("title")) fail("/view/title", "is required");
            for (String key : List.of("title", "submit", "close")) {
                if (view.has(key)) plainText("/view/" + key, view.getAsJsonObject(key), 24);
            }
            if (inputs && !view.has("submit")) fail("/view/submit", "is required when the view has input blocks");
        }
    }

    private void block(String at, JsonObject b) {
        String id = string(b, "block_id");
        if (id != null) {
            max(at + "/block_id", id.length(), 255, "characters");
            if (!blockIds.add(id)) fail(at + "/block_id", "duplicate block_id " + id);
        }
        switch (String.valueOf(string(b, "type"))) {
            case "section" -> {
                if (b.has("text")) text(at + "/text", b.getAsJsonObject("text"), 3000);
                if (b.has("fields")) {
                    JsonArray fields = b.getAsJsonArray("fields");
                    max(at + "/fields", fields.size(), 10, "items");
                    for (int i = 0; i < fields.size(); i++) text(at + "/fields/" + i, fields.get(i).getAsJsonObject(), 2000);
                }
                if (!b.has("text") && !b.has("fields")) fail(at, "a section needs text or fields");
                if (b.has("accessory")) element(at + "/accessory", b.getAsJsonObject("accessory"));
            }
            case "header" -> plainText(at + "/text", b.getAsJsonObject("text"), 150);
            case "context" -> {
                JsonArray elements = b.getAsJsonArray("elements");
                max(at + "/elements", elements.size(), 10, "items");
                for (int i = 0; i < elements.size(); i++) {
                    JsonObject e = elements.get(i).getAsJsonObject();
                    if (e.has("text")) text(at + "/elements/" + i, e, 3000);
                }
            }
            case "actions" -> {
                JsonArray elements = b.getAsJsonArray("elements");
                max(at + "/elements", elements.size(), 25, "items");
                for (int i = 0; i < elements.size(); i++) element(at + "/elements/" + i, elements.get(i).getAsJsonObject());
            }
            case "input" -> {
                plainText(at + "/label", b.getAsJsonObject("label"), 2000);
                if (b.has("hint")) plainText(at + "/hint", b.getAsJsonObject("hint"), 2000);
                if (!b.has("element")) fail(at + "/element", "is required");
                else element(at + "/element", b.getAsJsonObject("element"));
            }
            case "divider" -> { }
            default -> fail(at + "/type", "unsupported block type " + string(b, "type"));
        }
    }

    private void element(String at, JsonObject e) {
        max(at + "/action_id", length(string(e, "action_id")), 255, "characters");
        switch (String.valueOf(string(e, "type"))) {
            case "button" -> {
                plainText(at + "/text", e.getAsJsonObject("text"), 75);
                max(at + "/value", length(string(e, "value")), 2000, "characters");
            }
            case "static_select" -> {
                List<JsonObject> all = new ArrayList<>();
                if (e.has("options")) {
                    JsonArray options = e.getAsJsonArray("options");
                    max(at + "/options", options.size(), 100, "items");
                    for (int i = 0; i < options.size(); i++) all.add(option(at + "/options/" + i, options.get(i).getAsJsonObject()));
                } else if (e.has("option_groups")) {
                    JsonArray groups = e.getAsJsonArray("option_groups");
                    max(at + "/option_groups", groups.size(), 100, "items");
                    for (int g = 0; g < groups.size(); g++) {
                        JsonObject group = groups.get(g).getAsJsonObject();
                        plainText(at + "/option_groups/" + g + "/label", group.getAsJsonObject("label"), 75);
                        JsonArray options = group.getAsJsonArray("options");
                        max(at + "/option_groups/" + g + "/options", options.size(), 100, "items");
                        for (int i = 0; i < options.size(); i++) {
                            all.add(option(at + "/option_groups/" + g + "/options/" + i, options.get(i).getAsJsonObject()));
                        }
                    }
                } else {
                    fail(at, "options or option_groups is required");
                }
                if (e.has("initial_option") && !all.contains(e.getAsJsonObject("initial_option"))) {
                    fail(at + "/initial_option", "must be one of the options");
                }
                if (e.has("placeholder")) plainText(at + "/placeholder", e.getAsJsonObject("placeholder"), 150);
            }
            case "conversations_select", "channels_select", "users_select", "plain_text_input" -> {
                if (e.has("placeholder")) plainText(at + "/placeholder", e.getAsJsonObject("placeholder"), 150);
            }
            default -> fail(at + "/type", "unsupported element type " + string(e, "type"));
        }
    }

    private JsonObject option(String at, JsonObject o) {
        plainText(at + "/text", o.getAsJsonObject("text"), 75);
        max(at + "/value", length(string(o, "value")), 150, "characters");
        return o;
    }

    private void text(String at, JsonObject t, int limit) {
        String type = string(t, "type");
        if (!"mrkdwn".equals(type) && !"plain_text".equals(type)) fail(at + "/type", "must be mrkdwn or plain_text");
        String text = string(t, "text");
        if (text == null || text.isEmpty()) fail(at + "/text", "must be at least 1 character");
        else max(at + "/text", text.length(), limit, "characters");
    }

    private void plainText(String at, JsonObject t, int limit) {
        if (t == null) {
            fail(at, "is required");
            return;
        }
        if (!"plain_text".equals(string(t, "type"))) fail(at + "/type", "must be plain_text");
        text(at, t, limit);
    }

    private void max(String at, int size, int limit, String what) {
        if (size > limit) fail(at, "must be no more than " + limit + " " + what + " (has " + size + ")");
    }

    private void fail(String at, String problem) {
        problems.add("[ERROR] " + problem + " [json-pointer:" + at + "]");
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
