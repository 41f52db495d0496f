package org.pgstaging.slack;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.request.builtin.GlobalShortcutRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import java.util.Optional;

/**
 * What makes a Slack request the same request when Slack delivers it again: the event_id of an
 * event (a retry carries the same one), the trigger_id of a slash command or an interaction (Slack
 * gives a command no id of its own; a trigger_id is made per user action, a shortcut's included). A double click is two
 * actions with two trigger_ids: that is the job layer's to refuse, not a duplicate delivery.
 */
final class RequestKey {
    private RequestKey() {
    }

    /** The key of {@code req}; empty for requests that are not deduplicated (url_verification, ssl_check...). */
    static Optional<String> of(Request<?> req) {
        if (req instanceof EventRequest e) return eventId(e.getRequestBodyAsString()).flatMap(RequestKey::ofEvent);
        if (req instanceof SlashCommandRequest c) return ofCommand(c.getPayload().getTriggerId());
        if (req instanceof BlockActionRequest a) return clickId(a.getPayload()).map(id -> "action:" + id);
        if (req instanceof ViewSubmissionRequest v) return ofSubmission(v.getPayload().getTriggerId());
        if (req instanceof GlobalShortcutRequest s) return present(s.getPayload().getTriggerId()).map(t -> "action:" + t);
        return Optional.empty();
    }

    /** The key of an event whose event_id is {@code eventId}, as {@link #of} makes it. */
    static Optional<String> ofEvent(String eventId) {
        return present(eventId).map(id -> "event:" + id);
    }

    /** The key of a slash command whose trigger_id is {@code triggerId}, as {@link #of} makes it. */
    static Optional<String> ofCommand(String triggerId) {
        return present(triggerId).map(t -> "command:" + t);
    }

    /** The key of a view submission whose trigger_id is {@code triggerId}, as {@link #of} makes it. */
    static Optional<String> ofSubmission(String triggerId) {
        return present(triggerId).map(t -> "action:" + t);
    }

    /**
     * The key a click is held under until done ({@code click:}, so that a takeover knows it for one);
     * {@link #of} keys the same click as {@code action:} for its delivery.
     */
    static Optional<String> ofClick(BlockActionPayload p) {
        return clickId(p).map(id -> CLICK + id);
    }

    /** Whether {@code key} is a held click's ({@link #ofClick}). */
    static boolean isClick(String key) {
        return key.startsWith(CLICK);
    }

    private static final String CLICK = "click:";

    private static Optional<String> clickId(BlockActionPayload p) {
        Optional<String> trigger = present(p.getTriggerId());
        if (trigger.isPresent()) return trigger;
        // no trigger_id (it is optional in the payload): the message, the moment of the click and who clicked
        if (p.getContainer() == null || p.getActions() == null || p.getActions().isEmpty() || p.getUser() == null) {
            return Optional.empty();
        }
        return Optional.of(p.getContainer().getMessageTs() + ":" + p.getActions().get(0).getActionTs() + ":" + p.getUser().getId());
    }

    private static Optional<String> eventId(String body) {
        if (body == null || body.isBlank()) return Optional.empty();
        try {
            JsonElement json = JsonParser.parseString(body);
            if (!json.isJsonObject()) return Optional.empty();
            JsonObject o = json.getAsJsonObject();
            return o.has("event_id") && o.get("event_id").isJsonPrimitive() ? present(o.get("event_id").getAsString())
                    : Optional.empty();
        } catch (RuntimeException notJson) {
            return Optional.empty(); // Bolt parsed it already; a body without an id is simply not deduplicated
        }
    }

    private static Optional<String> present(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
