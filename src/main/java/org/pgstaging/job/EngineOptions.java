package org.pgstaging.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Options a face passes to the engine: dry run ({@code -n}), a tmpdir override ({@code -t}),
 * whether a change fails at once when its database server is busy ({@code --no-wait}) rather than
 * waiting its turn, and who acts (shown to whoever waits behind, and in PostgreSQL's
 * pg_stat_activity): a console user, or the bot on behalf of a Slack user.
 */
public record EngineOptions(boolean dryRun, Optional<Path> tmpdir, boolean noWait, String actor) {
    public EngineOptions(boolean dryRun, Optional<Path> tmpdir) {
        this(dryRun, tmpdir, false, consoleUser());
    }

    public static EngineOptions defaults() {
        return new EngineOptions(false, Optional.empty());
    }

    public EngineOptions withNoWait(boolean v) {
        return new EngineOptions(dryRun, tmpdir, v, actor);
    }

    public EngineOptions actingAs(String who) {
        return new EngineOptions(dryRun, tmpdir, noWait, who);
    }

    /** {@code user@host (console)}: the host from /etc/hostname or $HOSTNAME, never a DNS lookup. */
    public static String consoleUser() {
        return System.getProperty("user.name", "unknown") + "@" + hostName() + " (console)";
    }

    private static String hostName() {
        try {
            String h = Files.readString(Path.of("/etc/hostname")).strip();
            if (!h.isEmpty()) return h;
        } catch (Exception e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env;
    }
}
