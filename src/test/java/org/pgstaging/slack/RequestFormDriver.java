package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgstaging.testkit.SlackRequests.selectedConversation;
import static org.pgstaging.testkit.SlackRequests.selectedOption;
import static org.pgstaging.testkit.SlackRequests.value;
import static org.pgstaging.testkit.SlackRequests.values;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;

/**
 * Uses the request form as a person in Slack would: the shortcut, the section and backup menus, the
 * submission, each a signed payload built from the modal as the loopback Web API holds it (the
 * options are the ones the bot sent).
 */
record RequestFormDriver(SlackApiServer api, SlackRequests slack, URI events, Duration timeout) {

    HttpResponse<String> send(JsonObject payload) throws Exception {
        HttpResponse<String> r = slack.send(events, slack.signForm(slack.interactive(payload)));
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    /** Uses the shortcut as {@code user}; returns the modal Slack then shows. */
    JsonObject open(String user) throws Exception {
        int before = api.calls("views.open").size();
        send(slack.shortcut(user, ActionIds.REQUEST_SHORTCUT));
        api.await("views.open", c -> api.calls("views.open").indexOf(c) >= before, timeout);
        String sent = JsonParser.parseString(api.calls("views.open").get(before).param("view")).getAsJsonObject().toString();
        return api.awaitView(v -> withoutSlacksFields(v).equals(sent), timeout);
    }

    /** Chooses {@code section} and waits for its backups and the plan of the latest one. */
    JsonObject chooseSection(String user, JsonObject form, String section, String channel) throws Exception {
        send(slack.viewAction(user, form, ActionIds.REQUEST_SECTION_BLOCK, ActionIds.REQUEST_SECTION,
                selectedOption(option(form, ActionIds.REQUEST_SECTION_BLOCK, section)), state(form, section, null, channel)));
        return updated(form, v -> v.contains("What this restore does") && v.contains(RequestForm.dateBlock(section)));
    }

    /** Chooses the backup of {@code date} ("latest" or YYYY-MM-DD) and waits for the plan showing {@code shown}. */
    JsonObject chooseDate(String user, JsonObject form, String section, String date, String channel, String shown) throws Exception {
        String block = RequestForm.dateBlock(section);
        send(slack.viewAction(user, form, block, ActionIds.REQUEST_DATE, selectedOption(option(form, block, date)),
                state(form, section, date, channel)));
        return updated(form, v -> v.contains(shown));
    }

    /** Submits what is chosen; the answer's JSON body (response_action...). */
    JsonObject submit(String user, JsonObject form, String section, String date, String channel) throws Exception {
        return JsonParser.parseString(send(slack.viewSubmission(user, form, state(form, section, date, channel))).body()).getAsJsonObject();
    }

    /** The modal once the bot has updated it to match. */
    JsonObject updated(JsonObject form, java.util.function.Predicate<String> match) {
        String id = form.get("id").getAsString();
        return api.awaitView(v -> v.get("id").getAsString().equals(id) && match.test(v.toString()), timeout);
    }

    /** The form's state.values when the section, the backup (null: none yet) and the channel are chosen. */
    static JsonObject state(JsonObject view, String section, String date, String channel) {
        JsonObject values = values(ActionIds.REQUEST_CHANNEL_BLOCK, ActionIds.REQUEST_CHANNEL, selectedConversation(channel));
        if (section != null) {
            value(values, ActionIds.REQUEST_SECTION_BLOCK, ActionIds.REQUEST_SECTION,
                    selectedOption(option(view, ActionIds.REQUEST_SECTION_BLOCK, section)));
        }
        if (date != null) {
            String block = RequestForm.dateBlock(section);
            value(values, block, ActionIds.REQUEST_DATE, selectedOption(option(view, block, date)));
        }
        return values;
    }

    static JsonObject block(JsonObject view, String blockId) {
        for (JsonElement b : view.getAsJsonArray("blocks")) {
            JsonObject o = b.getAsJsonObject();
            if (o.has("block_id") && o.get("block_id").getAsString().equals(blockId)) return o;
        }
        throw new AssertionError("no block " + blockId + " in " + view);
    }

    static JsonObject option(JsonObject view, String blockId, String value) {
        JsonObject element = block(view, blockId).getAsJsonObject("element");
        for (JsonElement o : element.getAsJsonArray("options")) {
            if (o.getAsJsonObject().get("value").getAsString().equals(value)) return o.getAsJsonObject();
        }
        throw new AssertionError("no option " + value + " in " + element);
    }

    static List<String> optionTexts(JsonObject view, String blockId) {
        return block(view, blockId).getAsJsonObject("element").getAsJsonArray("options").asList().stream()
                .map(o -> o.getAsJsonObject().getAsJsonObject("text").get("text").getAsString()).toList();
    }

    /** The view without what Slack adds to it (id, hash, state...), to find the one the bot sent. */
    private static String withoutSlacksFields(JsonObject v) {
        JsonObject c = v.deepCopy();
        for (String k : List.of("id", "team_id", "app_id", "bot_id", "hash", "state")) c.remove(k);
        return c.toString();
    }
}
