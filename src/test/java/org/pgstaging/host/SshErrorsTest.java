package org.pgstaging.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What OpenSSH 9.2 prints when it fails (captured from real runs), and what pgstaging makes of it. */
class SshErrorsTest {
    private final SshTarget target = new SshTarget("db-dev-1.internal", Optional.of("pgstaging"), Optional.of(2222),
            Optional.of(Path.of("/etc/pgstaging/id_ed25519")), Optional.of(Path.of("/etc/pgstaging/known_hosts")), Optional.empty());

    private HostException explain(String... lines) {
        return SshErrors.explain(target, 255, List.of(lines));
    }

    @Test
    void unknownHostKey() {
        HostException e = explain("No ED25519 host key is known for [db-dev-1.internal]:2222 and you have requested strict checking.",
                "Host key verification failed.");
        assertThat(e.getMessage()).isEqualTo("The SSH host key of pgstaging@db-dev-1.internal:2222 is unknown: it is not in "
                + "/etc/pgstaging/known_hosts, and pgstaging never accepts a host key by itself");
        assertThat(e.hint()).contains("ssh-keyscan -p 2222 db-dev-1.internal >> /etc/pgstaging/known_hosts")
                .contains("fingerprint");
    }

    @Test
    void changedHostKey() {
        HostException e = explain("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
                "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @",
                "Host key for [db-dev-1.internal]:2222 has changed and you have requested strict checking.",
                "Host key verification failed.");
        assertThat(e.getMessage()).contains("is not the one in /etc/pgstaging/known_hosts").contains("HAS CHANGED");
        assertThat(e.hint()).contains("ssh-keygen -f /etc/pgstaging/known_hosts -R '[db-dev-1.internal]:2222'");
    }

    @Test
    void refusedKeyBadKeyModeAndMissingKey() {
        assertThat(explain("pgstaging@db-dev-1.internal: Permission denied (publickey).").getMessage())
                .isEqualTo("pgstaging@db-dev-1.internal:2222 refused pgstaging's SSH login "
                        + "(pgstaging@db-dev-1.internal: Permission denied (publickey).)");
        assertThat(explain("Permissions 0644 for '/etc/pgstaging/id_ed25519' are too open.", "Load key \"x\": bad permissions",
                "pgstaging@db-dev-1.internal: Permission denied (publickey).").hint()).contains("chmod 600");
        assertThat(explain("Warning: Identity file /etc/pgstaging/id_ed25519 not accessible: No such file or directory.",
                "pgstaging@db-dev-1.internal: Permission denied (publickey).").getMessage()).contains("cannot be read");
    }

    @Test
    void unreachable() {
        assertThat(explain("ssh: connect to host db-dev-1.internal port 2222: Connection refused").hint())
                .contains("listens on port 2222");
        assertThat(explain("ssh: Could not resolve hostname db-dev-1.internal: Name or service not known").hint())
                .contains("DNS");
        assertThat(explain("ssh: connect to host db-dev-1.internal port 2222: Connection timed out").getMessage())
                .startsWith("Cannot reach pgstaging@db-dev-1.internal:2222 over SSH");
    }

    @Test
    void aConnectionLostMidwayAndAnythingElse() {
        assertThat(explain("mux_client_read_packet: read header failed: Broken pipe").getMessage())
                .startsWith("The SSH connection to pgstaging@db-dev-1.internal:2222 was lost");
        assertThat(explain().getMessage()).contains("was lost");
        HostException other = explain("something new");
        assertThat(other.getMessage()).isEqualTo("ssh to pgstaging@db-dev-1.internal:2222 failed (exit 255): something new");
        assertThat(other.hint()).contains("ssh -p 2222 -i /etc/pgstaging/id_ed25519 -o UserKnownHostsFile=/etc/pgstaging/known_hosts "
                + "pgstaging@db-dev-1.internal true");
    }
}
