package org.pgstaging.slack;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OAuth scopes the bot needs, derived from what it calls and subscribes to; the app manifests in
 * {@code manifests/} must list exactly these (a test reads them), so the app asks for no more.
 */
public final class SlackScopes {
    private SlackScopes() {}

    /** Web API methods the bot calls and the bot scope each needs ("" = none). */
    public static final Map<String, String> METHOD_SCOPES = Map.of(
            "auth.test", "",
            "bots.info", "users:read",           // Bolt's IgnoringSelfEvents, for events carrying bot_id
            "chat.postMessage", "chat:write",
            "chat.update", "chat:write",
            "chat.postEphemeral", "chat:write",
            "views.open", "",
            "users.info", "users:read",
            "usergroups.users.list", "usergroups:read",
            "apps.connections.open", "");        // app-level token with connections:write, Socket Mode only

    /** Events the bot subscribes to (thread replies) and the scope each needs. */
    public static final Map<String, String> EVENT_SCOPES = Map.of(
            "message.channels", "channels:history",
            "message.groups", "groups:history");

    /** Every bot scope: the above plus {@code commands} for the slash command. */
    public static Set<String> botScopes() {
        Set<String> s = new TreeSet<>();
        s.add("commands");
        METHOD_SCOPES.values().stream().filter(v -> !v.isEmpty()).forEach(s::add);
        s.addAll(EVENT_SCOPES.values());
        return s;
    }
}
