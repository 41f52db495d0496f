package org.pgstaging.testkit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Requests exactly as Slack sends them to an app: slash command forms, {@code payload=} interactivity
 * (block_actions on messages and views, shortcut, view_submission), event_callback JSON, each signed with
 * {@code v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body))} over the UTF-8 bytes that are sent.
 * The JSON payloads are also what Socket Mode envelopes carry.
 */
public final class SlackRequests {
    public static final String TEAM_DOMAIN = "pgstaging-test";
    public static final String VERIFICATION_TOKEN = "gIkuvaNzQIHg97ATvDxqgjtO";

    private final String signingSecret;
    private final AtomicLong seq = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public SlackRequests(String signingSecret) {
        this.signingSecret = signingSecret;
    }

    /** A request ready to send: body bytes and the headers Slack adds. */
    public record Signed(byte[] body, String contentType, Map<String, String> headers) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    // ---- slash commands --------------------------------------------------------------------

    public Map<String, String> slashCommandFields(String userId, String channelId, String command, String text, String responseUrl) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", VERIFICATION_TOKEN);
        f.put("team_id", SlackApiServer.TEAM_ID);
        f.put("team_domain", TEAM_DOMAIN);
        f.put("channel_id", channelId);
        f.put("channel_name", "staging");
        f.put("user_id", userId);
        f.put("user_name", "user" + userId.toLowerCase());
        f.put("command", command);
        f.put("text", text);
        f.put("api_app_id", SlackApiServer.APP_ID);
        f.put("is_enterprise_install", "false");
        f.put("response_url", responseUrl);
        f.put("trigger_id", triggerId());
        return f;
    }

    /** Form body of a slash command, as posted to the request URL. */
    public String slashCommand(String userId, String channelId, String command, String text, String responseUrl) {
        StringBuilder b = new StringBuilder();
        slashCommandFields(userId, channelId, command, text, responseUrl).forEach((k, v) ->
                b.append(b.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return b.toString();
    }

    /** The same command as a Socket Mode slash_commands payload (JSON, not a form). */
    public JsonObject slashCommandPayload(String userId, String channelId, String command, String text, String responseUrl) {
        JsonObject o = new JsonObject();
        slashCommandFields(userId, channelId, command, text, responseUrl).forEach(o::addProperty);
        return o;
    }

    // ---- interactivity ---------------------------------------------------------------------

    /**
     * A block_actions payload for a button click on a message; {@code message} is the message as
     * Slack holds it (its ts, blocks, thread_ts), as the chat.postMessage answer returned it.
     */
    public JsonObject blockAction(String userId, String channelId, JsonObject message, boolean ephemeral,
                                  String actionId, String value, String responseUrl) {
        JsonObject user = new JsonObject();
        user.addProperty("id", userId);
        user.addProperty("username", "user" + userId.toLowerCase());
        user.addProperty("name", "user" + userId.toLowerCase());
        user.addProperty("team_id", SlackApiServer.TEAM_ID);
        JsonObject container = new JsonObject();
        container.addProperty("type", "message");
        container.addProperty("message_ts", message.get("ts").getAsString());
        container.addProperty("channel_id", channelId);
        container.addProperty("is_ephemeral", ephemeral);
        JsonObject team = new JsonObject();
        team.addProperty("id", SlackApiServer.TEAM_ID);
        team.addProperty("domain", TEAM_DOMAIN);
        JsonObject channel = new JsonObject();
        channel.addProperty("id", channelId);
        channel.addProperty("name", "staging");
        JsonObject action = new JsonObject();
        action.addProperty("action_id", actionId);
        action.addProperty("block_id", "b" + seq.incrementAndGet());
        JsonObject text = new JsonObject();
        text.addProperty("type", "plain_text");
        text.addProperty("text", actionId);
        text.addProperty("emoji", true);
        action.add("text", text);
        action.addProperty("value", value);
        action.addProperty("type", "button");
        action.addProperty("action_ts", ts());
        JsonArray actions = new JsonArray();
        actions.add(action);
        JsonObject p = new JsonObject();
        p.addProperty("type", "block_actions");
        p.add("user", user);
        p.addProperty("api_app_id", SlackApiServer.APP_ID);
        p.addProperty("token", VERIFICATION_TOKEN);
        p.add("container", container);
        p.addProperty("trigger_id", triggerId());
        p.add("team", team);
        p.add("channel", channel);
        p.add("message", message);
        p.addProperty("response_url", responseUrl);
        p.add("actions", actions);
        return p;
    }

    /** A view_submission with one plain_text_input value. */
    public JsonObject viewSubmission(String userId, JsonObject openedView, String blockId, String actionId, String value) {
        JsonObject input = new JsonObject();
        input.addProperty("type", "plain_text_input");
        input.addProperty("value", value);
        return viewSubmission(userId, openedView, values(blockId, actionId, input));
    }

    /** A view_submission of {@code view} with {@code values} as its {@code state.values} (see {@link #values}). */
    public JsonObject viewSubmission(String userId, JsonObject view, JsonObject values) {
        JsonObject p = new JsonObject();
        p.addProperty("type", "view_submission");
        p.add("team", team());
        p.add("user", user(userId));
        p.addProperty("api_app_id", SlackApiServer.APP_ID);
        p.addProperty("token", VERIFICATION_TOKEN);
        p.addProperty("trigger_id", triggerId());
        p.add("view", withState(view, values));
        p.add("response_urls", new JsonArray());
        p.addProperty("is_enterprise_install", false);
        return p;
    }

    /**
     * A global shortcut as Slack sends it (no channel: a global shortcut is used from anywhere).
     */
    public JsonObject shortcut(String userId, String callbackId) {
        JsonObject p = new JsonObject();
        p.addProperty("type", "shortcut");
        p.addProperty("token", VERIFICATION_TOKEN);
        p.addProperty("action_ts", ts());
        p.add("team", team());
        p.add("user", user(userId));
        p.addProperty("is_enterprise_install", false);
        p.add("enterprise", null);
        p.addProperty("callback_id", callbackId);
        p.addProperty("trigger_id", triggerId());
        return p;
    }

    /**
     * A block_actions payload from an element of a view (a modal or the Home tab): {@code action}
     * is the element's part, e.g. {@link #selectedOption} or a button's value; the view carries
     * {@code values} as its state.
     */
    public JsonObject viewAction(String userId, JsonObject view, String blockId, String actionId, JsonObject action, JsonObject values) {
        JsonObject container = new JsonObject();
        container.addProperty("type", "view");
        container.addProperty("view_id", view.get("id").getAsString());
        JsonObject a = action.deepCopy();
        a.addProperty("action_id", actionId);
        a.addProperty("block_id", blockId);
        a.addProperty("action_ts", ts());
        JsonArray actions = new JsonArray();
        actions.add(a);
        JsonObject p = new JsonObject();
        p.addProperty("type", "block_actions");
        p.add("user", user(userId));
        p.addProperty("api_app_id", SlackApiServer.APP_ID);
        p.addProperty("token", VERIFICATION_TOKEN);
        p.add("container", container);
        p.addProperty("trigger_id", triggerId());
        p.add("team", team());
        p.add("enterprise", null);
        p.addProperty("is_enterprise_install", false);
        p.add("view", withState(view, values));
        p.add("actions", actions);
        return p;
    }

    /** The action of a button click, for {@link #viewAction}. */
    public static JsonObject button(String value) {
        return typed("button", "value", new JsonPrimitive(value));
    }

    /** The action (and the state value) of a static_select on {@code option}, an option of the view as the bot sent it. */
    public static JsonObject selectedOption(JsonObject option) {
        JsonObject chosen = option.deepCopy();
        if (chosen.has("text")) chosen.getAsJsonObject("text").addProperty("emoji", true);
        return typed("static_select", "selected_option", chosen);
    }

    /** The action (and the state value) of a conversations_select on {@code channelId}. */
    public static JsonObject selectedConversation(String channelId) {
        return typed("conversations_select", "selected_conversation", new JsonPrimitive(channelId));
    }

    private static JsonObject typed(String type, String key, JsonElement value) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.add(key, value);
        return o;
    }

    /** {@code state.values} of a view: {@code {block_id: {action_id: value}}}; add more with {@link #value}. */
    public static JsonObject values(String blockId, String actionId, JsonObject value) {
        return value(new JsonObject(), blockId, actionId, value);
    }

    public static JsonObject value(JsonObject values, String blockId, String actionId, JsonObject value) {
        JsonObject block = values.has(blockId) ? values.getAsJsonObject(blockId) : new JsonObject();
        block.add(actionId, value);
        values.add(blockId, block);
        return values;
    }

    private static JsonObject withState(JsonObject view, JsonObject values) {
        JsonObject state = new JsonObject();
        state.add("values", values);
        JsonObject v = view.deepCopy();
        v.add("state", state);
        return v;
    }

    private static JsonObject user(String userId) {
        JsonObject user = new JsonObject();
        user.addProperty("id", userId);
        user.addProperty("username", "user" + userId.toLowerCase());
        user.addProperty("name", "user" + userId.toLowerCase());
        user.addProperty("team_id", SlackApiServer.TEAM_ID);
        return user;
    }

    private static JsonObject team() {
        JsonObject team = new JsonObject();
        team.addProperty("id", SlackApiServer.TEAM_ID);
        team.addProperty("domain", TEAM_DOMAIN);
        return team;
    }

    /** Form body {@code payload=<url-encoded JSON>} of interactivity requests. */
    public String interactive(JsonObject payload) {
        return "payload=" + enc(payload.toString());
    }

    // ---- events -----------------------------------------------------------------------------

    /** A message event posted by a user in a thread (thread_ts = the parent message ts). */
    public JsonObject threadMessage(String userId, String channelId, String text, String threadTs) {
        JsonObject e = new JsonObject();
        e.addProperty("type", "message");
        e.addProperty("channel", channelId);
        e.addProperty("user", userId);
        e.addProperty("text", text);
        e.addProperty("ts", ts());
        e.addProperty("thread_ts", threadTs);
        e.addProperty("event_ts", e.get("ts").getAsString());
        e.addProperty("channel_type", channelId.startsWith("G") ? "group" : "channel");
        e.addProperty("team", SlackApiServer.TEAM_ID);
        return e;
    }

    /**
     * {@code app_home_opened}: {@code userId} opened the app's Home tab; {@code channel} is their
     * direct-message channel with the app, {@code view} the tab as last published (null: never).
     */
    public JsonObject appHomeOpened(String userId, JsonObject view) {
        JsonObject e = new JsonObject();
        e.addProperty("type", "app_home_opened");
        e.addProperty("user", userId);
        e.addProperty("channel", "D" + userId.substring(1));
        e.addProperty("tab", "home");
        e.addProperty("event_ts", ts());
        if (view != null) e.add("view", view);
        return e;
    }

    /** The event_callback envelope of the Events API. */
    public JsonObject eventCallback(JsonObject event) {
        JsonObject o = new JsonObject();
        o.addProperty("token", VERIFICATION_TOKEN);
        o.addProperty("team_id", SlackApiServer.TEAM_ID);
        o.addProperty("api_app_id", SlackApiServer.APP_ID);
        o.add("event", event);
        o.addProperty("type", "event_callback");
        o.addProperty("event_id", "Ev" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase());
        o.addProperty("event_time", System.currentTimeMillis() / 1000);
        JsonArray auths = new JsonArray();
        JsonObject a = new JsonObject();
        a.addProperty("team_id", SlackApiServer.TEAM_ID);
        a.addProperty("user_id", SlackApiServer.BOT_USER_ID);
        a.addProperty("is_bot", true);
        auths.add(a);
        o.add("authorizations", auths);
        return o;
    }

    // ---- signing and sending --------------------------------------------------------------

    public Signed sign(String body, String contentType, long epochSeconds) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Slack-Request-Timestamp", Long.toString(epochSeconds));
        h.put("X-Slack-Signature", signature(signingSecret, epochSeconds, bytes));
        return new Signed(bytes, contentType, h);
    }

    public Signed signForm(String body) {
        return sign(body, "application/x-www-form-urlencoded", System.currentTimeMillis() / 1000);
    }

    public Signed signJson(String body) {
        return sign(body, "application/json", System.currentTimeMillis() / 1000);
    }

    /** Slack's v0 signature, computed here independently of the SDK over the exact bytes. */
    public static String signature(String secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + epochSeconds + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> send(URI uri, Signed req) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", req.contentType())
                .header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
                .POST(HttpRequest.BodyPublishers.ofByteArray(req.body()));
        req.headers().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String triggerId() {
        return seq.incrementAndGet() + ".4242424242." + UUID.randomUUID().toString().replace("-", "");
    }

    private String ts() {
        return (System.currentTimeMillis() / 1000) + "." + String.format("%06d", seq.incrementAndGet());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
