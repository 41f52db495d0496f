package org.pgstaging.host;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and how to reach a database server with OpenSSH. Only what the configuration sets is
 * given to ssh, so everything else comes from {@code ~/.ssh/config} (Host aliases, ProxyJump,
 * Port, User, IdentityFile) as it would for a person typing {@code ssh destination}.
 *
 * @param destination a host name, address or {@code ~/.ssh/config} Host alias
 * @param config      an ssh configuration file to use instead of {@code ~/.ssh/config} ({@code ssh -F})
 */
public record SshTarget(String destination, Optional<String> user, Optional<Integer> port, Optional<Path> identity,
                        Optional<Path> knownHosts, Optional<Path> config) {
    /** Never an option: a destination or user starting with '-' would be read by ssh as one. */
    private static final Pattern DESTINATION = Pattern.compile("[A-Za-z0-9_\\[:][A-Za-z0-9_.:%\\[\\]-]*");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.@-]*\\$?");

    public SshTarget {
        if (destination == null || !DESTINATION.matcher(destination).matches()) {
            throw new HostException("Invalid SSH destination '" + destination + "'",
                    "give a host name, an address or a Host alias of ~/.ssh/config (letters, digits, '.', '-', ':')", null);
        }
        user.ifPresent(u -> {
            if (!USER.matcher(u).matches()) {
                throw new HostException("Invalid SSH user '" + u + "'", "give a login name such as pgstaging", null);
            }
        });
        port.ifPresent(p -> {
            if (p < 1 || p > 65535) {
                throw new HostException("Invalid SSH port " + p, "give a port between 1 and 65535", null);
            }
        });
    }

    public static SshTarget of(String destination) {
        return new SshTarget(destination, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** For messages: {@code user@destination:port}, as far as the configuration says. */
    public String display() {
        return user.map(u -> u + "@").orElse("") + destination + port.map(p -> ":" + p).orElse("");
    }

    /** The command a person would type to try the same connection, for hints. */
    public String handTest() {
        StringBuilder sb = new StringBuilder("ssh");
        config.ifPresent(c -> sb.append(" -F ").append(c));
        port.ifPresent(p -> sb.append(" -p ").append(p));
        identity.ifPresent(i -> sb.append(" -i ").append(i));
        knownHosts.ifPresent(k -> sb.append(" -o UserKnownHostsFile=").append(k));
        sb.append(' ').append(user.map(u -> u + "@").orElse("")).append(destination).append(" true");
        return sb.toString();
    }

    /** The known_hosts file pgstaging checks host keys against, for hints. */
    public String knownHostsFile() {
        return knownHosts.map(Path::toString).orElse("~/.ssh/known_hosts");
    }

    /** How known_hosts names this host: {@code host}, or {@code [host]:port} on a port other than 22. */
    public String knownHostsName() {
        return port.filter(p -> p != 22).map(p -> "[" + destination + "]:" + p).orElse(destination);
    }

    @Override
    public String toString() {
        return display();
    }
}
