package org.pgstaging.slack;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.pgstaging.config.ConfigException;
import org.pgstaging.config.ConfigValues;
import org.pgstaging.config.StateUrl;

/**
 * The {@code [slack]} section, validated when built so the bot fails at start with a clear error
 * instead of answering 401 to everything later. Tokens may come from the environment
 * ({@code SLACK_BOT_TOKEN}, {@code SLACK_APP_TOKEN}, {@code SLACK_SIGNING_SECRET}) so they stay out of
 * the ini file; a value in the file wins. {@link #toString()} never shows a secret.
 */
public final class SlackSettings {
    public enum Mode { SOCKET, HTTP }

    /** How the bot writes its log on stderr: lines for people, or one JSON object per line for a collector. */
    public enum LogFormat { TEXT, JSON }

    static final String SECTION = "slack";
    private static final Pattern CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");
    private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");
    private static final Pattern GROUP_ID = Pattern.compile("S[A-Z0-9]{2,}");
    private static final Pattern COMMAND = Pattern.compile("/[a-z0-9_-]{1,31}");
    /** The [slack] options: one list, the configuration's, which also warns about the others. */
    private static final Set<String> KNOWN = Set.copyOf(org.pgstaging.config.KnownOptions.slackOptions());

    private final String botToken;
    private final String appToken;
    private final String signingSecret;
    private final Mode mode;
    private final int httpPort;
    /** 0: none. */
    private final int metricsPort;
    private final LogFormat logFormat;
    private final Path stateDir;
    private final StateUrl stateUrl;
    private final String command;
    private final List<String> channels;
    private final List<String> requesters;
    private final List<String> approverUsers;
    private final List<String> approverGroups;
    private final String approvalChannel;
    private final boolean selfApproval;
    private final String apiUrl;
    private final int stallMinutes;

    /** Reads the section, taking missing tokens from the process environment. */
    public SlackSettings(Map<String, String> section) {
        this(section, System.getenv());
    }

    public SlackSettings(Map<String, String> section, Map<String, String> env) {
        for (String key : section.keySet()) {
            if (!KNOWN.contains(key)) {
                throw error(key, "unknown option '" + key + "'", "known options: " + String.join(", ", KNOWN.stream().sorted().toList()));
            }
        }
        mode = parseMode(value(section, "mode").orElse("socket"));
        botToken = value(section, "bot_token").or(() -> nonBlank(env.get("SLACK_BOT_TOKEN"))).orElse(null);
        appToken = value(section, "app_token").or(() -> nonBlank(env.get("SLACK_APP_TOKEN"))).orElse(null);
        signingSecret = value(section, "signing_secret").or(() -> nonBlank(env.get("SLACK_SIGNING_SECRET"))).orElse(null);
        httpPort = value(section, "http_port").map(v -> ConfigValues.parseInt(SECTION, "http_port", v)).orElse(3000);
        metricsPort = value(section, "metrics_port").map(v -> ConfigValues.parseInt(SECTION, "metrics_port", v)).orElse(0);
        logFormat = parseLogFormat(value(section, "log_format").orElse("text"));
        stateDir = org.pgstaging.config.StagingConfig.stateDir(
                value(section, "state_dir").map(v -> Map.of("state_dir", v)).orElse(Map.of()));
        stateUrl = value(section, StateUrl.OPTION).map(SlackSettings::stateUrl).orElse(null);
        command = value(section, "command").orElse("/pgstaging");
        channels = ids(section, "channels", CHANNEL_ID, "channel IDs such as C0123ABCD (channel details > About)");
        requesters = ids(section, "requesters", Pattern.compile(USER_ID.pattern() + "|" + GROUP_ID.pattern()),
                "user IDs (U…/W…, profile > Copy member ID) or user-group IDs (S…)");
        List<String> approvers = ids(section, "approvers", Pattern.compile(USER_ID.pattern() + "|" + GROUP_ID.pattern()),
                "user IDs (U…/W…) or user-group IDs (S…)");
        approverUsers = approvers.stream().filter(a -> !a.startsWith("S")).toList();
        approverGroups = approvers.stream().filter(a -> a.startsWith("S")).toList();
        approvalChannel = value(section, "approval_channel").orElse(null);
        selfApproval = value(section, "self_approval").map(v -> ConfigValues.parseBoolean(SECTION, "self_approval", v)).orElse(false);
        String api = value(section, "api_url").orElse("https://slack.com/api/");
        apiUrl = api.endsWith("/") ? api : api + "/";
        stallMinutes = value(section, "stall_minutes").map(v -> ConfigValues.parseInt(SECTION, "stall_minutes", v)).orElse(10);
        validate();
    }

    private void validate() {
        if (botToken == null) {
            throw error("bot_token", "no bot token", "set bot_token in [slack] or SLACK_BOT_TOKEN in the environment (the xoxb-… token of OAuth & Permissions)");
        }
        if (!botToken.startsWith("xoxb-")) {
            throw error("bot_token", "the bot token does not start with xoxb-", "use the Bot User OAuth Token (xoxb-…), not a user (xoxp-) or app-level (xapp-) token");
        }
        if (mode == Mode.SOCKET) {
            if (appToken == null) {
                throw error("app_token", "socket mode needs an app-level token", "create one with the connections:write scope (Basic Information > App-Level Tokens) and set app_token or SLACK_APP_TOKEN, or use mode = http");
            }
            if (!appToken.startsWith("xapp-")) {
                throw error("app_token", "the app token does not start with xapp-", "use the App-Level Token (xapp-…) with connections:write");
            }
        }
        if (mode == Mode.HTTP && signingSecret == null) {
            throw error("signing_secret", "http mode needs the signing secret to verify requests from Slack",
                    "set signing_secret or SLACK_SIGNING_SECRET (Basic Information > App Credentials)");
        }
        if (signingSecret != null && (signingSecret.length() < 16 || signingSecret.chars().anyMatch(Character::isWhitespace))) {
            throw error("signing_secret", "the signing secret looks truncated", "copy the whole Signing Secret (32 hex characters) from Basic Information");
        }
        if (httpPort < 1 || httpPort > 65535) {
            throw error("http_port", "port " + httpPort + " is out of range", "use a port between 1 and 65535, e.g. 3000");
        }
        if (metricsPort != 0 && (metricsPort < 1 || metricsPort > 65535)) {
            throw error("metrics_port", "port " + metricsPort + " is out of range", "use a port between 1 and 65535, e.g. 9464, or leave it out");
        }
        if (mode == Mode.HTTP && metricsPort == httpPort) {
            throw error("metrics_port", "port " + metricsPort + " is http_port", "in http mode /metrics is already on http_port: leave metrics_port out, or give another port");
        }
        if (!COMMAND.matcher(command).matches()) {
            throw error("command", "'" + command + "' is not a slash command", "write it with its slash, lower case, e.g. /pgstaging");
        }
        if (approverUsers.isEmpty() && approverGroups.isEmpty()) {
            throw error("approvers", "no approvers: nobody could approve a restore", "list approver user IDs (U…) or user-group IDs (S…)");
        }
        if (approvalChannel != null && !CHANNEL_ID.matcher(approvalChannel).matches()) {
            throw error("approval_channel", "'" + approvalChannel + "' is not a channel ID", "use the channel ID, e.g. C0123ABCD");
        }
        URI uri;
        try {
            uri = URI.create(apiUrl);
        } catch (IllegalArgumentException e) {
            throw error("api_url", "'" + apiUrl + "' is not a URL", "leave it out to use https://slack.com/api/");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http")) || uri.getHost() == null) {
            throw error("api_url", "'" + apiUrl + "' is not an http(s) URL", "leave it out to use https://slack.com/api/");
        }
        if (stallMinutes < 1) {
            throw error("stall_minutes", "must be at least 1", "e.g. stall_minutes = 10");
        }
    }

    private static StateUrl stateUrl(String v) {
        try {
            return StateUrl.parse(v);
        } catch (StateUrl.Invalid e) {
            throw error(StateUrl.OPTION, e.getMessage(), e.hint());
        }
    }

    private static Mode parseMode(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "socket" -> Mode.SOCKET;
            case "http" -> Mode.HTTP;
            default -> throw error("mode", "'" + v + "' is not a mode", "use socket (no public URL needed) or http");
        };
    }

    private static LogFormat parseLogFormat(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw error("log_format", "'" + v + "' is not a log format", "use text (the default) or json (one JSON object per line)");
        };
    }

    private static List<String> ids(Map<String, String> section, String option, Pattern pattern, String what) {
        List<String> list = value(section, option).map(ConfigValues::parseList).orElse(List.of());
        for (String id : list) {
            if (!pattern.matcher(id).matches()) {
                throw error(option, "'" + id + "' is not a valid ID", option + " takes " + what);
            }
        }
        return list;
    }

    private static Optional<String> value(Map<String, String> section, String key) {
        return nonBlank(section.get(key));
    }

    private static Optional<String> nonBlank(String v) {
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static ConfigException error(String option, String problem, String hint) {
        return new ConfigException(problem, null, SECTION, option, 0, hint);
    }

    public String botToken() { return botToken; }
    /** Null in http mode when not configured. */
    public String appToken() { return appToken; }
    /** Null in socket mode when not configured (Socket Mode requests are not signed). */
    public String signingSecret() { return signingSecret; }
    public Mode mode() { return mode; }
    public int httpPort() { return httpPort; }
    /** Where a server of its own serves /metrics and /healthz; empty: none (http mode still has /metrics on http_port). */
    public java.util.OptionalInt metricsPort() { return metricsPort == 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(metricsPort); }
    public LogFormat logFormat() { return logFormat; }
    public Path stateDir() { return stateDir; }
    /** The state database holding the jobs and the history instead of state_dir's files, when set. */
    public Optional<StateUrl> stateUrl() { return Optional.ofNullable(stateUrl); }
    public String command() { return command; }
    /** Empty means every channel the bot is in. */
    public List<String> channels() { return channels; }
    /** Empty means anyone in an allowed channel. */
    public List<String> requesters() { return requesters; }

    public List<String> requesterUsers() { return requesters.stream().filter(r -> !r.startsWith("S")).toList(); }

    public List<String> requesterGroups() { return requesters.stream().filter(r -> r.startsWith("S")).toList(); }
    public List<String> approverUsers() { return approverUsers; }
    public List<String> approverGroups() { return approverGroups; }
    public Optional<String> approvalChannel() { return Optional.ofNullable(approvalChannel); }
    public boolean selfApproval() { return selfApproval; }
    public String apiUrl() { return apiUrl; }
    public int stallMinutes() { return stallMinutes; }

    @Override
    public String toString() {
        return "SlackSettings[mode=" + mode.name().toLowerCase(Locale.ROOT) + ", command=" + command
                + ", http_port=" + httpPort + (metricsPort == 0 ? "" : ", metrics_port=" + metricsPort)
                + ", log_format=" + logFormat.name().toLowerCase(Locale.ROOT) + ", api_url=" + apiUrl + ", state_dir=" + stateDir
                + ", state_url=" + (stateUrl == null ? "unset" : stateUrl.toString())
                + ", channels=" + channels + ", requesters=" + requesters
                + ", approvers=" + approverUsers + approverGroups + ", approval_channel=" + approvalChannel
                + ", self_approval=" + selfApproval + ", stall_minutes=" + stallMinutes
                + ", bot_token=" + mask(botToken) + ", app_token=" + mask(appToken)
                + ", signing_secret=" + (signingSecret == null ? "unset" : "set") + "]";
    }

    /** Keeps the token kind (xoxb-/xapp-) visible for troubleshooting, hides the rest. */
    private static String mask(String token) {
        if (token == null) return "unset";
        int dash = token.indexOf('-');
        return (dash > 0 ? token.substring(0, dash + 1) : "") + "****";
    }
}
