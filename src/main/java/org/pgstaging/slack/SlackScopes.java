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
    public static final Map<String, String> METHOD_SCOPES = Map.ofEntries(
            Map.entry("auth.test", ""),
            Map.entry("bots.info", "users:read"),           // Bolt's IgnoringSelfEvents, for events carrying bot_id
            Map.entry("chat.postMessage", "chat:write"),
            Map.entry("chat.update", "chat:write"),
            Map.entry("chat.postEphemeral", "chat:write"),
            Map.entry("views.open", ""),                    // deny and request modals: a trigger_id is the permission
            Map.entry("views.update", ""),                  // the request form, as choices are made
            Map.entry("views.publish", ""),                 // the Home tab
            Map.entry("users.info", "users:read"),
            Map.entry("usergroups.users.list", "usergroups:read"),
            Map.entry("apps.connections.open", ""));        // app-level token with connections:write, Socket Mode only

    /** Events the bot subscribes to (thread replies, the Home tab opened) and the scope each needs ("" = none). */
    public static final Map<String, String> EVENT_SCOPES = Map.of(
            "message.channels", "channels:history",
            "message.groups", "groups:history",
            "app_home_opened", "");

    /** Every bot scope: the above plus {@code commands} for the slash command and the global shortcut. */
    public static Set<String> botScopes() {
        Set<String> s = new TreeSet<>();
        s.add("commands");
        METHOD_SCOPES.values().stream().filter(v -> !v.isEmpty()).forEach(s::add);
        EVENT_SCOPES.values().stream().filter(v -> !v.isEmpty()).forEach(s::add);
        return s;
    }
}
