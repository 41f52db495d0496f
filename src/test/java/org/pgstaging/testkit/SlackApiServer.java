package org.pgstaging.testkit;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A real Slack Web API on loopback for tests: answers the methods the bot calls with the shapes
 * Slack documents (auth.test, bots.info, chat.postMessage, chat.update, chat.postEphemeral,
 * views.open, views.update, views.publish, users.info, usergroups.users.list, conversations.info,
 * apps.connections.open), checks {@code Authorization: Bearer}, records every call with its answer,
 * refuses blocks beyond Slack's documented limits ({@link SlackBlockRules}) and views beyond Block
 * Kit's ({@link ViewLimits}), can answer 429 with Retry-After (for a number of calls or for a while)
 * and other errors, records what is posted to response_url, and runs the Socket Mode WebSocket server
 * (hello, envelopes, acks, disconnect, dropped connections).
 */
public final class SlackApiServer implements AutoCloseable {
    public static final String TEAM_ID = "T0PGSTAGE";
    public static final String BOT_USER_ID = "U0PGBOT";
    public static final String BOT_ID = "B0PGBOT";
    public static final String APP_ID = "A0PGAPP";

    /**
     * One Web API call or response_url post, as received, with the HTTP status of the answer and its
     * Retry-After in seconds (null: none).
     */
    public record Call(String method, String token, Map<String, String> params, JsonObject json, long atMillis,
                       int status, Integer retryAfter) {
        Call(String method, String token, Map<String, String> params, JsonObject json, long atMillis) {
            this(method, token, params, json, atMillis, 200, null);
        }

        Call answered(int status, Integer retryAfter) {
            return new Call(method, token, params, json, atMillis, status, retryAfter);
        }

        /** Answered 429: the caller was told to wait {@link #retryAfter()} seconds. */
        public boolean rateLimited() {
            return status == 429;
        }

        public String param(String name) {
            if (params.containsKey(name)) return params.get(name);
            return json != null && json.has(name) && json.get(name).isJsonPrimitive() ? json.get(name).getAsString() : null;
        }

        /** {@code blocks} whether sent as a form field (JSON string) or inside a JSON body. */
        public JsonArray blocks() {
            if (json != null && json.has("blocks")) return json.getAsJsonArray("blocks");
            String b = params.get("blocks");
            return b == null ? new JsonArray() : JsonParser.parseString(b).getAsJsonArray();
        }

        /** Text of the message and of all its blocks, for assertions on what a user would read. */
        public String allText() {
            return (param("text") == null ? "" : param("text")) + "\n" + blocks();
        }
    }

    private final HttpServer http;
    private final Ws ws;
    private final Set<String> botTokens;
    private final String appToken;
    private final List<Call> calls = new ArrayList<>();
    private final List<String> acks = new ArrayList<>();
    private final Map<String, Deque<Integer>> rateLimits = new ConcurrentHashMap<>();
    /** Method -> epoch millis until which every call of it is answered 429. */
    private final Map<String, Long> limitedUntil = new ConcurrentHashMap<>();
    /** Method -> Slack errors to answer (HTTP 200, ok:false) to its next calls, in order. */
    private final Map<String, Deque<String>> failures = new ConcurrentHashMap<>();
    private final AtomicLong webSocketsOpened = new AtomicLong();
    private final Map<String, List<String>> userGroups = new ConcurrentHashMap<>();
    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final Map<String, String> channels = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> messages = new ConcurrentHashMap<>();
    private final Set<String> notIn = ConcurrentHashMap.newKeySet();
    /** Views opened, updated or published, by view id, as Slack holds them now. */
    private final Map<String, JsonObject> views = new ConcurrentHashMap<>();
    /** The Home tab's view id of each user it was published to. */
    private final Map<String, String> homes = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final long epoch = System.currentTimeMillis() / 1000;
    private final Gson gson = new Gson();

    private SlackApiServer(Set<String> botTokens, String appToken) throws IOException, InterruptedException {
        this.botTokens = botTokens;
        this.appToken = appToken;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        http.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "slack-api-server");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/api/", this::api);
        http.createContext("/response/", this::responseUrl);
        http.start();
        this.ws = new Ws();
        ws.start();
        if (!ws.bound.await(10, TimeUnit.SECONDS)) throw new IOException("WebSocket server did not start");
    }

    public static SlackApiServer start(String botToken, String appToken) {
        try {
            return new SlackApiServer(Set.of(botToken), appToken);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The methods endpoint prefix, e.g. {@code http://127.0.0.1:PORT/api/}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/api/";
    }

    /** A fresh response_url on this server. */
    public String responseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/response/" + UUID.randomUUID();
    }

    public int webSocketPort() {
        return ws.getPort();
    }

    // ---- fixtures -------------------------------------------------------------------

    public SlackApiServer user(String id, String name) {
        users.put(id, name);
        return this;
    }

    public SlackApiServer userGroup(String id, String... members) {
        userGroups.put(id, List.of(members));
        return this;
    }

    public SlackApiServer channel(String id, String name) {
        channels.put(id, name);
        return this;
    }

    /** The bot is not a member of {@code channelId}: posting there answers not_in_channel, as Slack does. */
    public SlackApiServer botNotIn(String channelId) {
        notIn.add(channelId);
        return this;
    }

    /** The next {@code times} calls of {@code method} get HTTP 429 with this Retry-After. */
    public void rateLimit(String method, int retryAfterSeconds, int times) {
        Deque<Integer> q = rateLimits.computeIfAbsent(method, k -> new ArrayDeque<>());
        synchronized (q) {
            for (int i = 0; i < times; i++) q.add(retryAfterSeconds);
        }
    }

    /**
     * Every call of {@code method} in the next {@code window} is answered 429, its Retry-After the
     * seconds left in the window (at least 1), as Slack does while a method is over its limit.
     */
    public void rateLimitFor(String method, Duration window) {
        limitedUntil.put(method, System.currentTimeMillis() + window.toMillis());
    }

    /** The next calls of {@code method}, one per error given, are answered HTTP 200 {@code {"ok":false,"error":…}}. */
    public void failNext(String method, String... errors) {
        Deque<String> q = failures.computeIfAbsent(method, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addAll(List.of(errors));
        }
    }

    // ---- recorded calls ------------------------------------------------------------------

    public List<Call> calls(String method) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.method.equals(method)).toList();
        }
    }

    public List<Call> allCalls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Posts received on response_url endpoints (method "response_url"). */
    public List<Call> responses() {
        return calls("response_url");
    }

    /** Waits (up to {@code timeout}) for a call matching; fails with what was received instead. */
    public Call await(String method, Predicate<Call> match, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (calls) {
            while (true) {
                for (Call c : calls) if (c.method.equals(method) && match.test(c)) return c;
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + method + " call matched within " + timeout + "; received: "
                            + calls.stream().map(c -> c.method + " " + c.params + (c.json == null ? "" : " " + c.json)).toList());
                }
                try {
                    calls.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    public Call await(String method, Predicate<Call> match) {
        return await(method, match, Duration.ofSeconds(10));
    }

    /** A message the bot posted, where it went and as Slack stores it (ts, text, blocks, thread_ts). */
    public record Posted(String channel, JsonObject message) {
        public String ts() {
            return message.get("ts").getAsString();
        }

        public String text() {
            return message.get("text").getAsString() + "\n" + message.get("blocks");
        }
    }

    /** Waits for a posted message that matches, in its current (edited) form. */
    public Posted awaitMessage(Predicate<Posted> match, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Map.Entry<String, JsonObject> e : messages.entrySet()) {
                Posted p;
                synchronized (e.getValue()) {
                    p = new Posted(e.getKey().substring(0, e.getKey().indexOf(':')), e.getValue().deepCopy());
                }
                if (match.test(p)) return p;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no posted message matched within " + timeout + "; messages: " + messages.values());
            }
            sleep(20);
        }
    }

    public Posted awaitMessage(Predicate<Posted> match) {
        return awaitMessage(match, Duration.ofSeconds(10));
    }

    /** The message as it stands after the bot's edits. */
    public JsonObject message(String channel, String ts) {
        JsonObject m = messages.get(channel + ":" + ts);
        if (m == null) return null;
        synchronized (m) {
            return m.deepCopy();
        }
    }

    /** Waits for a view (opened, updated or published) that matches, as it stands now; fails with the views there are. */
    public JsonObject awaitView(Predicate<JsonObject> match, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonObject v : views.values()) {
                JsonObject copy = v.deepCopy();
                if (match.test(copy)) return copy;
            }
            if (System.nanoTime() > end) throw new AssertionError("no view matched within " + timeout + "; views: " + views.values());
            sleep(20);
        }
    }

    public JsonObject awaitView(Predicate<JsonObject> match) {
        return awaitView(match, Duration.ofSeconds(10));
    }

    /** A view as it stands after the bot's updates (null: no such view). */
    public JsonObject view(String viewId) {
        JsonObject v = views.get(viewId);
        return v == null ? null : v.deepCopy();
    }

    /** The Home tab published to {@code userId}, as they would see it now (null: never published). */
    public JsonObject home(String userId) {
        String id = homes.get(userId);
        return id == null ? null : view(id);
    }

    public void clear() {
        synchronized (calls) {
            calls.clear();
        }
        synchronized (acks) {
            acks.clear();
        }
    }

    private void record(Call c) {
        synchronized (calls) {
            calls.add(c);
            calls.notifyAll();
        }
    }

    // ---- Web API ------------------------------------------------------------------------

    private void api(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestURI().getPath().substring("/api/".length());
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            Map<String, String> params = new LinkedHashMap<>();
            JsonObject json = null;
            if (contentType != null && contentType.startsWith("application/json") && !body.isBlank()) {
                json = JsonParser.parseString(body).getAsJsonObject();
            } else {
                params.putAll(form(body));
            }
            if (ex.getRequestURI().getRawQuery() != null) params.putAll(form(ex.getRequestURI().getRawQuery()));
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : params.get("token");
            Call call = new Call(method, token, Map.copyOf(params), json, System.currentTimeMillis());
            Integer retryAfter = retryAfter(method, call.atMillis());
            // Recorded once its effect (a stored or edited message) is visible, so tests awaiting it see that too.
            if (retryAfter != null) {
                record(call.answered(429, retryAfter));
                ex.getResponseHeaders().set("Retry-After", Integer.toString(retryAfter));
                send(ex, 429, error("ratelimited"));
                return;
            }
            String failure = nextFailure(method);
            JsonObject answer = failure != null ? error(failure) : answer(method, token, call);
            record(call);
            send(ex, 200, answer);
        }
    }

    /** The Retry-After of a call that is to be answered 429, or null. */
    private Integer retryAfter(String method, long at) {
        Deque<Integer> limit = rateLimits.get(method);
        if (limit != null) {
            synchronized (limit) {
                Integer next = limit.poll();
                if (next != null) return next;
            }
        }
        Long until = limitedUntil.get(method);
        if (until == null || at >= until) return null;
        return (int) Math.max(1, (until - at + 999) / 1000);
    }

    private String nextFailure(String method) {
        Deque<String> q = failures.get(method);
        if (q == null) return null;
        synchronized (q) {
            return q.poll();
        }
    }

    private JsonObject answer(String method, String token, Call call) {
        if (token == null || token.isEmpty()) return error("not_authed");
        if (method.equals("apps.connections.open")) {
            if (token.equals(appToken)) {
                JsonObject ok = ok();
                ok.addProperty("url", "ws://127.0.0.1:" + ws.getPort() + "/");
                return ok;
            }
            return token.startsWith("xapp-") ? error("invalid_auth") : error("not_allowed_token_type");
        }
        if (!botTokens.contains(token)) return error("invalid_auth");
        return switch (method) {
            case "auth.test" -> authTest();
            case "bots.info" -> botsInfo();
            case "chat.postMessage" -> postMessage(call);
            case "chat.update" -> update(call);
            case "chat.postEphemeral" -> ephemeral(call);
            case "views.open" -> viewsOpen(call);
            case "views.update" -> viewsUpdate(call);
            case "views.publish" -> viewsPublish(call);
            case "users.info" -> usersInfo(call);
            case "usergroups.users.list" -> usergroupUsers(call);
            case "conversations.info" -> conversationsInfo(call);
            default -> error("unknown_method");
        };
    }

    private JsonObject authTest() {
        JsonObject o = ok();
        o.addProperty("url", "https://pgstaging-test.slack.com/");
        o.addProperty("team", "pgstaging test");
        o.addProperty("user", "pgstaging");
        o.addProperty("team_id", TEAM_ID);
        o.addProperty("user_id", BOT_USER_ID);
        o.addProperty("bot_id", BOT_ID);
        o.addProperty("is_enterprise_install", false);
        return o;
    }

    private JsonObject botsInfo() {
        JsonObject bot = new JsonObject();
        bot.addProperty("id", BOT_ID);
        bot.addProperty("deleted", false);
        bot.addProperty("name", "pgstaging");
        bot.addProperty("updated", epoch);
        bot.addProperty("app_id", APP_ID);
        bot.addProperty("user_id", BOT_USER_ID);
        JsonObject o = ok();
        o.add("bot", bot);
        return o;
    }

    private String nextTs() {
        return epoch + "." + String.format("%06d", seq.incrementAndGet());
    }

    private JsonObject postMessage(Call c) {
        String channel = c.param("channel");
        if (channel == null || channel.isBlank()) return error("channel_not_found");
        if (notIn.contains(channel)) return error("not_in_channel");
        if (c.param("text") == null && c.blocks().isEmpty()) return error("no_text");
        JsonObject invalid = invalidBlocks(c);
        if (invalid != null) return invalid;
        String ts = nextTs();
        JsonObject msg = new JsonObject();
        msg.addProperty("type", "message");
        msg.addProperty("subtype", "bot_message");
        msg.addProperty("text", c.param("text"));
        msg.addProperty("ts", ts);
        msg.addProperty("bot_id", BOT_ID);
        msg.addProperty("user", BOT_USER_ID);
        if (c.param("thread_ts") != null) msg.addProperty("thread_ts", c.param("thread_ts"));
        msg.add("blocks", c.blocks());
        messages.put(channel + ":" + ts, msg);
        JsonObject o = ok();
        o.addProperty("channel", channel);
        o.addProperty("ts", ts);
        o.add("message", msg);
        return o;
    }

    private JsonObject update(Call c) {
        String key = c.param("channel") + ":" + c.param("ts");
        JsonObject msg = messages.get(key);
        if (msg == null) return error("message_not_found");
        JsonObject invalid = invalidBlocks(c);
        if (invalid != null) return invalid;
        synchronized (msg) {
            msg.addProperty("text", c.param("text"));
            msg.add("blocks", c.blocks());
        }
        JsonObject o = ok();
        o.addProperty("channel", c.param("channel"));
        o.addProperty("ts", c.param("ts"));
        o.addProperty("text", c.param("text"));
        o.add("message", msg);
        return o;
    }

    private JsonObject ephemeral(Call c) {
        if (c.param("channel") == null) return error("channel_not_found");
        if (c.param("user") == null) return error("user_not_in_channel");
        JsonObject invalid = invalidBlocks(c);
        if (invalid != null) return invalid;
        JsonObject o = ok();
        o.addProperty("message_ts", nextTs());
        return o;
    }

    private JsonObject viewsOpen(Call c) {
        if (c.param("trigger_id") == null) return error("invalid_trigger_id");
        return storeView(c, "V" + seq.incrementAndGet(), null);
    }

    /** Replaces an open view, found by view_id (or external_id); a hash that is not the view's current one conflicts. */
    private JsonObject viewsUpdate(Call c) {
        String id = c.param("view_id");
        if (id == null && c.param("external_id") != null) {
            id = views.entrySet().stream().filter(e -> c.param("external_id").equals(string(e.getValue(), "external_id")))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
        }
        JsonObject current = id == null ? null : views.get(id);
        if (current == null) return error("not_found");
        if (c.param("hash") != null && !c.param("hash").equals(string(current, "hash"))) return error("hash_conflict");
        return storeView(c, id, null);
    }

    /** The user's Home tab: one view per user, replaced by each publish. */
    private JsonObject viewsPublish(Call c) {
        String user = c.param("user_id");
        if (user == null || user.isBlank()) return error("invalid_arguments");
        String id = homes.computeIfAbsent(user, u -> "V" + seq.incrementAndGet());
        if (c.param("hash") != null && views.containsKey(id) && !c.param("hash").equals(string(views.get(id), "hash"))) {
            return error("hash_conflict");
        }
        return storeView(c, id, "home");
    }

    private JsonObject storeView(Call c, String id, String requiredType) {
        String raw = c.param("view");
        if (raw == null) return error("invalid_arguments");
        JsonObject view = JsonParser.parseString(raw).getAsJsonObject();
        List<String> problems = ViewLimits.problems(view);
        if (requiredType != null && !requiredType.equals(string(view, "type"))) {
            problems = new ArrayList<>(problems);
            problems.add("[ERROR] must be " + requiredType + " [json-pointer:/view/type]");
        }
        if (!problems.isEmpty()) {
            JsonObject o = error("invalid_arguments");
            JsonObject meta = new JsonObject();
            meta.add("messages", gson.toJsonTree(problems));
            o.add("response_metadata", meta);
            return o;
        }
        view.addProperty("id", id);
        view.addProperty("team_id", TEAM_ID);
        view.addProperty("app_id", APP_ID);
        view.addProperty("bot_id", BOT_ID);
        view.addProperty("hash", epoch + "." + Long.toHexString(seq.incrementAndGet()));
        view.add("state", gson.fromJson("{\"values\":{}}", JsonObject.class));
        views.put(id, view);
        JsonObject o = ok();
        o.add("view", view);
        return o;
    }

    private static String string(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : null;
    }

    private JsonObject usersInfo(Call c) {
        String id = c.param("user");
        String name = users.get(id);
        if (name == null) return error("user_not_found");
        JsonObject profile = new JsonObject();
        profile.addProperty("display_name", name);
        profile.addProperty("real_name", name);
        JsonObject user = new JsonObject();
        user.addProperty("id", id);
        user.addProperty("team_id", TEAM_ID);
        user.addProperty("name", name);
        user.addProperty("real_name", name);
        user.addProperty("deleted", false);
        user.addProperty("is_bot", false);
        user.addProperty("tz", "Europe/Paris");
        user.add("profile", profile);
        JsonObject o = ok();
        o.add("user", user);
        return o;
    }

    private JsonObject usergroupUsers(Call c) {
        List<String> members = userGroups.get(c.param("usergroup"));
        if (members == null) return error("no_such_subteam");
        JsonObject o = ok();
        o.add("users", gson.toJsonTree(members));
        return o;
    }

    private JsonObject conversationsInfo(Call c) {
        String id = c.param("channel");
        String name = channels.get(id);
        if (name == null) return error("channel_not_found");
        JsonObject ch = new JsonObject();
        ch.addProperty("id", id);
        ch.addProperty("name", name);
        ch.addProperty("is_channel", id.startsWith("C"));
        ch.addProperty("is_private", id.startsWith("G"));
        ch.addProperty("is_member", true);
        ch.addProperty("created", epoch);
        JsonObject o = ok();
        o.add("channel", ch);
        return o;
    }

    private void responseUrl(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonObject json = body.isBlank() ? new JsonObject() : JsonParser.parseString(body).getAsJsonObject();
            record(new Call("response_url", null, Map.of("path", ex.getRequestURI().getPath()), json, System.currentTimeMillis()));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, ok.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(ok);
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new HashMap<>();
        if (body == null || body.isEmpty()) return m;
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    /** Slack's answer to blocks it refuses, with what is wrong, as {@link SlackBlockRules} tells it. */
    private static JsonObject invalidBlocks(Call c) {
        List<String> problems = SlackBlockRules.problems(c.blocks());
        if (problems.isEmpty()) return null;
        JsonObject o = error("invalid_blocks");
        JsonArray errors = new JsonArray();
        problems.forEach(errors::add);
        o.add("errors", errors);
        return o;
    }

    private static JsonObject ok() {
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        return o;
    }

    private static JsonObject error(String code) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", false);
        o.addProperty("error", code);
        return o;
    }

    private static void send(HttpExchange ex, int status, JsonElement body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ---- Socket Mode ----------------------------------------------------------------------

    /** Sends an envelope to every connected client; returns its envelope_id. */
    public String pushEnvelope(String type, JsonObject payload) {
        String id = UUID.randomUUID().toString();
        JsonObject env = new JsonObject();
        env.addProperty("envelope_id", id);
        env.addProperty("type", type);
        env.addProperty("accepts_response_payload", !type.equals("events_api"));
        env.addProperty("retry_attempt", 0);
        env.addProperty("retry_reason", "");
        env.add("payload", payload);
        ws.broadcast(env.toString());
        return id;
    }

    public int webSocketClients() {
        return ws.getConnections().size();
    }

    /** How many WebSocket connections clients have opened so far (a reconnection adds one). */
    public long webSocketsOpened() {
        return webSocketsOpened.get();
    }

    /** Cuts every connection without a closing handshake, as a network failure or a Slack restart does. */
    public void dropWebSocketClients() {
        for (WebSocket conn : ws.getConnections()) conn.closeConnection(1006, "connection lost");
    }

    /**
     * Sends Slack's {@code disconnect} message ({@code refresh_requested}, {@code warning},
     * {@code link_disabled}) to every client and closes their connections {@code closeAfter} later,
     * as Slack does to a connection it retires.
     */
    public void disconnect(String reason, Duration closeAfter) {
        JsonObject msg = new JsonObject();
        msg.addProperty("type", "disconnect");
        msg.addProperty("reason", reason);
        JsonObject debug = new JsonObject();
        debug.addProperty("host", "applink-test");
        msg.add("debug_info", debug);
        List<WebSocket> retired = List.copyOf(ws.getConnections());
        for (WebSocket conn : retired) conn.send(msg.toString());
        Thread closer = new Thread(() -> {
            sleep(closeAfter.toMillis());
            for (WebSocket conn : retired) if (conn.isOpen()) conn.close(1001, "refresh");
        }, "slack-api-server-disconnect");
        closer.setDaemon(true);
        closer.start();
    }

    /** Waits until a client is connected (it connects after apps.connections.open). */
    public void awaitWebSocketClient(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (ws.getConnections().isEmpty()) {
            if (System.nanoTime() > end) throw new AssertionError("no Socket Mode client connected within " + timeout);
            sleep(20);
        }
    }

    /** The client's ack of an envelope, e.g. {@code {"envelope_id":…,"payload":{…}}}. */
    public JsonObject awaitAck(String envelopeId, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (acks) {
            while (true) {
                for (String a : acks) {
                    JsonObject o = JsonParser.parseString(a).getAsJsonObject();
                    if (o.has("envelope_id") && o.get("envelope_id").getAsString().equals(envelopeId)) return o;
                }
                long left = end - System.nanoTime();
                if (left <= 0) throw new AssertionError("envelope " + envelopeId + " not acked within " + timeout + "; acks: " + acks);
                try {
                    acks.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Ws extends WebSocketServer {
        final CountDownLatch bound = new CountDownLatch(1);

        Ws() {
            super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            setReuseAddr(true);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            webSocketsOpened.incrementAndGet();
            JsonObject hello = new JsonObject();
            hello.addProperty("type", "hello");
            hello.addProperty("num_connections", getConnections().size());
            JsonObject debug = new JsonObject();
            debug.addProperty("host", "applink-test");
            debug.addProperty("build_number", 1);
            debug.addProperty("approximate_connection_time", 18060);
            hello.add("debug_info", debug);
            JsonObject info = new JsonObject();
            info.addProperty("app_id", APP_ID);
            hello.add("connection_info", info);
            conn.send(hello.toString());
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) { }

        @Override
        public void onMessage(WebSocket conn, String message) {
            synchronized (acks) {
                acks.add(message);
                acks.notifyAll();
            }
        }

        @Override
        public void onError(WebSocket conn, Exception ex) { }

        @Override
        public void onStart() {
            bound.countDown();
        }
    }

    @Override
    public void close() {
        http.stop(0);
        try {
            ws.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
