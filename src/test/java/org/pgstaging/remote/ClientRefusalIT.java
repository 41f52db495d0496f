package org.pgstaging.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.Version;
import org.pgstaging.host.HostException;
import org.pgstaging.host.OpenSsh;
import org.pgstaging.host.SshHost;
import org.pgstaging.host.SshTarget;
import org.pgstaging.testkit.RemoteStaging;
import org.pgstaging.testkit.Unprivileged;

/**
 * pgstaging-client through the package's sudoers rule, as anyone holding the console's SSH key
 * could call it: only its own sub-commands run as root, with checked arguments, and an edit may
 * only change the [databases] entries of a pgbouncer.ini under pgbouncer_dirs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientRefusalIT {
    private static final String CLIENT = "/usr/bin/pgstaging-client";
    private RemoteStaging env;

    record Ran(int exit, String out, String err) { }

    @BeforeAll
    void start() {
        assumeTrue(Unprivileged.isRoot(), "remote servers need root: dpkg -i of the package, sshd");
        env = RemoteStaging.shared();
    }

    /** {@code ssh pgstaging@127.0.0.2 -- command} with the console's key. */
    private Ran ssh(String command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + env.sshd.knownHosts(), "-i", env.sshd.clientKey().toString(),
                "-o", "IdentitiesOnly=yes", "-p", Integer.toString(env.sshd.port()), "-l", RemoteStaging.LOGIN, "--",
                "127.0.0.2", command));
        Process p = new ProcessBuilder(argv).redirectInput(new java.io.File("/dev/null")).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private String v() {
        return "--console-version " + Version.current();
    }

    @Test
    void sudoRunsOnlyTheClientAndTheClientOnlyItsSubCommands() throws Exception {
        Ran shell = ssh("sudo -n " + CLIENT + " sh -c id");
        assertThat(shell.exit()).isEqualTo(2);
        assertThat(shell.err()).contains("unknown sub-command 'sh'").doesNotContain("uid=");
        Ran other = ssh("sudo -n /bin/sh -c id");
        assertThat(other.exit()).isNotZero();
        assertThat(other.out()).doesNotContain("uid=0");
        Ran options = ssh("sudo -n " + CLIENT + " version " + v() + " --conf /etc/shadow");
        assertThat(options.exit()).isEqualTo(2);
        assertThat(options.err()).contains("version takes no option --conf");
        Ran noVersion = ssh("sudo -n " + CLIENT + " read --conf " + env.a.bouncer().configFile());
        assertThat(noVersion.exit()).isEqualTo(2);
        assertThat(noVersion.err()).contains("--console-version VERSION is required");
        Ran service = ssh("sudo -n " + CLIENT + " service " + v() + " 'restart; id'");
        assertThat(service.exit()).isEqualTo(2);
        assertThat(service.err()).contains("unknown action");
        Ran runs = ssh(CLIENT + " runs " + v() + " --dbname '../etc'");
        assertThat(runs.exit()).isEqualTo(2);
    }

    @Test
    void filesOutsidePgbouncerDirsOrNotIniAreRefused() throws Exception {
        Path dir = env.a.bouncer().configFile().getParent();
        Path escape = dir.resolve("evil.ini");
        Files.deleteIfExists(escape);
        Files.createSymbolicLink(escape, Path.of("/etc/shadow"));
        try {
            for (String path : List.of("/etc/shadow", dir + "/../../../etc/shadow", dir.resolve("userlist.txt").toString(),
                    escape.toString(), "relative/pgbouncer.ini")) {
                Ran r = ssh("sudo -n " + CLIENT + " read " + v() + " --conf '" + path + "'");
                assertThat(r.exit()).as(path).isEqualTo(2);
                assertThat(r.out()).as(path).isEmpty();
                assertThat(r.err()).as(path).containsPattern("refusing|not an absolute path");
            }
            Ran ok = ssh("sudo -n " + CLIENT + " read " + v() + " --conf " + env.a.bouncer().configFile());
            assertThat(ok.exit()).isZero();
            assertThat(ok.out()).isEqualTo(env.a.pgbouncerIni());
        } finally {
            Files.deleteIfExists(escape);
        }
    }

    @Test
    void anotherConsoleVersionIsRefused() throws Exception {
        Ran r = ssh("sudo -n " + CLIENT + " read --console-version 0.0.1 --conf " + env.a.bouncer().configFile());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("this is pgstaging-client " + Version.current() + ", the console runs pgstaging 0.0.1");
    }

    @Test
    void anEditMayOnlyChangeDatabaseEntries() throws IOException {
        SshTarget target = new SshTarget("127.0.0.2", Optional.of(RemoteStaging.LOGIN), Optional.of(env.sshd.port()),
                Optional.of(env.sshd.clientKey()), Optional.of(env.sshd.knownHosts()), Optional.empty());
        OpenSsh ssh = new OpenSsh(target);
        try {
            SshHost host = new SshHost(ssh, CLIENT, true);
            Path ini = env.a.bouncer().configFile();
            String before = env.a.pgbouncerIni();
            assertThatThrownBy(() -> host.withLockedFile(ini, f -> {
                f.replace(f.read().replace("auth_type = trust", "auth_type = any"));
                return null;
            })).isInstanceOf(HostException.class).hasMessageContaining("changes more than the [databases] entries")
                    .hasMessageContaining("'auth_type = trust' would become 'auth_type = any'");
            assertThatThrownBy(() -> host.withLockedFile(ini, f -> {
                f.replace(f.read().replace("[databases]\n", "[databases]\n%include /etc/shadow\n"));
                return null;
            })).isInstanceOf(HostException.class).hasMessageContaining("changes more than the [databases] entries");
            assertThatThrownBy(() -> host.withLockedFile(ini, f -> {
                f.replace(f.read().replace("[databases]\n", "[databases]\nbroken = dbname='unterminated\n"));
                return null;
            })).isInstanceOf(HostException.class).hasMessageContaining("Invalid pgbouncer connection string");
            assertThat(env.a.pgbouncerIni()).isEqualTo(before);

            // the [databases] entries may change: the file keeps its owner and mode, and the previous one is kept
            host.withLockedFile(ini, f -> {
                f.replace(f.read().replace("[databases]\n", "[databases]\nrefusal_probe = dbname=postgres\n"));
                return null;
            });
            assertThat(env.a.pgbouncerIni()).contains("refusal_probe = dbname=postgres");
            assertThat(Files.readString(ini.resolveSibling("pgbouncer.ini.bak"))).isEqualTo(before);
            assertThat(Files.getPosixFilePermissions(ini)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            host.withLockedFile(ini, f -> {
                f.replace(before);
                return null;
            });
            assertThat(env.a.pgbouncerIni()).isEqualTo(before);
        } finally {
            ssh.close();
        }
    }
}
