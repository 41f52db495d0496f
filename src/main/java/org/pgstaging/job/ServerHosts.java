package org.pgstaging.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pgstaging.config.Section;
import org.pgstaging.host.Host;
import org.pgstaging.host.LocalHost;
import org.pgstaging.host.OpenSsh;
import org.pgstaging.host.SshHost;
import org.pgstaging.host.SshTarget;

/**
 * The {@link Host} of each section's database server: this machine, or a server over SSH. One
 * SSH connection and one client check per destination for the whole process, whatever the number
 * of sections, commands and faces using it.
 */
final class ServerHosts {
    private static final ServerHosts SHARED = new ServerHosts();

    private final Map<SshTarget, OpenSsh> connections = new ConcurrentHashMap<>();
    private final Map<Key, SshHost> hosts = new ConcurrentHashMap<>();

    /** Sections share an SshHost when they reach the same server the same way. */
    private record Key(SshTarget target, String client, boolean useSudo) { }

    static ServerHosts shared() {
        return SHARED;
    }

    Host forSection(Section s) {
        if (!s.remote()) return new LocalHost(s.useSudo());
        return ssh(s);
    }

    /** The SSH host of a remote section. */
    SshHost ssh(Section s) {
        SshTarget target = new SshTarget(s.sshHost(), s.sshUser(), s.sshPort(), s.sshIdentity(), s.sshKnownHosts(),
                s.sshConfig());
        OpenSsh ssh = connections.computeIfAbsent(target, OpenSsh::new);
        return hosts.computeIfAbsent(new Key(target, s.clientPath(), s.useSudo()),
                k -> new SshHost(ssh, k.client(), k.useSudo()));
    }
}
