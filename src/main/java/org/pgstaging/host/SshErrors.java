package org.pgstaging.host;

import java.util.List;

/**
 * Turns what ssh printed when it failed (exit 255) into what went wrong, on which server, and the
 * command that fixes it. ssh's own words stay in the message: they are what a search finds.
 */
final class SshErrors {
    private SshErrors() {}

    static HostException explain(SshTarget t, int exit, List<String> output) {
        String all = String.join("\n", output);
        String said = lastMeaningfulLine(output);
        String host = t.display();
        if (all.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") || all.contains("has changed and you have requested strict checking")) {
            return new HostException("The SSH host key of " + host + " is not the one in " + t.knownHostsFile()
                    + " (REMOTE HOST IDENTIFICATION HAS CHANGED): pgstaging refuses to connect",
                    "if the server was reinstalled, check its new key's fingerprint with its administrator"
                            + " (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server), then replace the old key: "
                            + "ssh-keygen -f " + t.knownHostsFile() + " -R '" + t.knownHostsName() + "' && "
                            + keyscan(t) + "; otherwise someone may be in the middle: stop and investigate", null);
        }
        if (all.contains("Host key verification failed") || all.contains("host key is known for")) {
            return new HostException("The SSH host key of " + host + " is unknown: it is not in " + t.knownHostsFile()
                    + ", and pgstaging never accepts a host key by itself",
                    "check the server's fingerprint with its administrator (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"
                            + " on the server), then add it: " + keyscan(t) + ", and compare with ssh-keygen -lf "
                            + t.knownHostsFile(), null);
        }
        if (all.contains("bad permissions") || all.contains("UNPROTECTED PRIVATE KEY FILE")) {
            return new HostException("ssh ignores the key " + t.identity().map(Object::toString).orElse("") + " for "
                    + host + ": its permissions are too open (" + said + ")",
                    "chmod 600 the private key; it must belong to the user running pgstaging", null);
        }
        if (all.contains("Identity file") && all.contains("not accessible")) {
            return new HostException("The SSH key for " + host + " cannot be read: " + said,
                    "check ssh_identity (it is read by the user running pgstaging; mode 600)", null);
        }
        if (all.contains("Permission denied (")) {
            return new HostException(host + " refused pgstaging's SSH login (" + said + ")",
                    "add the public key of " + t.identity().map(i -> i + ".pub").orElse("pgstaging's key")
                            + " to the authorized_keys of " + t.user().orElse("the login user") + " on "
                            + t.destination() + " (ssh-copy-id), or fix ssh_user / ssh_identity; try: " + t.handTest(), null);
        }
        if (all.contains("Could not resolve hostname")) {
            return new HostException("Cannot reach " + host + " over SSH: " + said,
                    "check host (or ssh_host) in the section, DNS, or the Host alias in ~/.ssh/config", null);
        }
        if (all.contains("Connection refused")) {
            return new HostException("Cannot reach " + host + " over SSH: " + said,
                    "check that sshd runs on " + t.destination() + " and listens on "
                            + t.port().map(p -> "port " + p).orElse("its SSH port") + " (ssh_port)", null);
        }
        if (all.contains("timed out") || all.contains("No route to host") || all.contains("Network is unreachable")) {
            return new HostException("Cannot reach " + host + " over SSH: " + said,
                    "check that " + t.destination() + " is up and that no firewall drops SSH from this machine; try: "
                            + t.handTest(), null);
        }
        if (all.contains("Connection closed") || all.contains("Connection reset") || all.contains("Broken pipe")
                || all.contains("not responding") || all.contains("closed by remote host") || output.isEmpty()) {
            return new HostException("The SSH connection to " + host + " was lost" + (said.isEmpty() ? "" : ": " + said),
                    "check the network to " + t.destination() + " and sshd's log there, then retry", null);
        }
        return new HostException("ssh to " + host + " failed (exit " + exit + "): " + said,
                "try by hand, with -v for details: " + t.handTest(), null);
    }

    private static String keyscan(SshTarget t) {
        return "ssh-keyscan" + t.port().map(p -> " -p " + p).orElse("") + " " + t.destination() + " >> " + t.knownHostsFile();
    }

    private static String lastMeaningfulLine(List<String> output) {
        for (int i = output.size() - 1; i >= 0; i--) {
            String line = output.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("@")) return line;
        }
        return "";
    }
}
