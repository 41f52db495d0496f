package org.pgstaging.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.pgstaging.PgStagingException;
import org.pgstaging.Version;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.StagingService;
import org.pgstaging.testkit.DebianPackage;
import org.pgstaging.testkit.RemoteStaging;
import org.pgstaging.testkit.Unprivileged;

/**
 * Bad setups of a remote server fail before anything changes, each naming the server and the fix:
 * unknown or changed host key, refused key, unreachable sshd, sudo asking for a password or
 * refusing, pgstaging-client missing or of another version. After each, the server has no new
 * database and its pgbouncer.ini is byte for byte what it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteFailuresIT {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    private static final String SECOND_USER = "pgstagingt2";

    private RemoteStaging env;

    @BeforeAll
    void start() {
        assumeTrue(Unprivileged.isRoot(), "remote servers need root: dpkg -i of the package, sshd");
        env = RemoteStaging.shared();
        env.publishDump("bad", DAY);
    }

    private StagingService service(String defaultsExtra, String... sectionExtra) {
        String ini = env.defaults() + defaultsExtra + "\n" + env.section("bad.a", env.a, "bad", sectionExtra);
        return new StagingService(ConfigLoader.load(env.writeConfig("failures.ini", ini)), EngineOptions.defaults(), null);
    }

    /** Runs {@code op}, expects it to fail saying {@code what} and {@code fix}, and checks nothing changed on server a. */
    private void failsChangingNothing(Executable op, String what, String fix) {
        String iniBefore = env.a.pgbouncerIni();
        assertThatThrownBy(op::execute).isInstanceOf(PgStagingException.class)
                .hasMessageContaining(what)
                .satisfies(e -> assertThat(((PgStagingException) e).hint()).contains(fix));
        assertThat(env.a.databaseExists("bad_20261124")).isFalse();
        assertThat(env.a.pgbouncerIni()).isEqualTo(iniBefore);
    }

    @Test
    void anUnknownHostKeyIsRefusedAndSaysHowToAddIt() throws Exception {
        Path empty = env.writeConfig("empty_known_hosts", "");
        StagingService s = service("ssh_known_hosts = " + empty);
        failsChangingNothing(() -> s.restore("bad.a", DateSpec.latest(), null),
                "SSH host key of pgstaging@127.0.0.2:" + env.sshd.port() + " is unknown", "ssh-keyscan -p " + env.sshd.port());
        failsChangingNothing(() -> s.switchTo("bad.a", DateSpec.latest()), "is unknown", "ssh-keyscan");
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        String otherKey = Files.readString(Path.of(env.sshd.otherKey() + ".pub")).strip().split(" ")[1];
        Path changed = env.writeConfig("changed_known_hosts", "[127.0.0.2]:" + env.sshd.port() + " ssh-ed25519 " + otherKey + "\n");
        StagingService s = service("ssh_known_hosts = " + changed);
        failsChangingNothing(() -> s.restore("bad.a", DateSpec.latest(), null), "is not the one in " + changed,
                "ssh-keygen -f " + changed + " -R '[127.0.0.2]:" + env.sshd.port() + "'");
    }

    @Test
    void aRefusedKeyAndAnUnreachableServerFailFirst() {
        StagingService refused = service("ssh_identity = " + env.sshd.otherKey());
        failsChangingNothing(() -> refused.restore("bad.a", DateSpec.latest(), null), "refused pgstaging's SSH login",
                "authorized_keys of pgstaging on 127.0.0.2");
        int closed = org.pgstaging.testkit.PostgresServer.freePort("127.0.0.2");
        StagingService unreachable = service("ssh_port = " + closed);
        failsChangingNothing(() -> unreachable.restore("bad.a", DateSpec.latest(), null), "Connection refused",
                "listens on port " + closed);
    }

    @Test
    void sudoAskingForAPasswordOrRefusingFailsFirst() throws Exception {
        Unprivileged.run(List.of("useradd", "--system", "--shell", "/bin/sh", "--no-create-home", "--home-dir", "/nonexistent",
                SECOND_USER), null, 30);
        Path rule = Path.of("/etc/sudoers.d/pgstaging-test");
        try {
            Unprivileged.run(List.of("usermod", "-p", "*", SECOND_USER), null, 30);
            StagingService s = service("ssh_user = " + SECOND_USER);
            failsChangingNothing(() -> s.restore("bad.a", DateSpec.latest(), null),
                    "sudo on " + SECOND_USER + "@127.0.0.2:" + env.sshd.port() + " asks " + SECOND_USER + " for a password",
                    SECOND_USER + " ALL=(root) NOPASSWD: /usr/bin/pgstaging-client");

            // no password asked, but no rule for the client either
            Files.writeString(rule, "Defaults:" + SECOND_USER + " !authenticate\n" + SECOND_USER + " ALL=(root) NOPASSWD: /bin/true\n");
            Unprivileged.chmod(rule, "r--r-----");
            Unprivileged.run(List.of("visudo", "-cq"), null, 30);
            StagingService refusing = service("ssh_user = " + SECOND_USER);
            failsChangingNothing(() -> refusing.restore("bad.a", DateSpec.latest(), null),
                    "refuses to run /usr/bin/pgstaging-client as root for " + SECOND_USER, "/etc/sudoers.d/pgstaging");
        } finally {
            Files.deleteIfExists(rule);
            // the shared connections of that user outlive the test: end them, then the user
            Unprivileged.run(List.of("sh", "-c", "pkill -u " + SECOND_USER + "; true"), null, 30);
            Unprivileged.run(List.of("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do userdel " + SECOND_USER
                    + " && exit 0; sleep 0.5; done; exit 1"), null, 30);
        }
    }

    @Test
    void aMissingClientFailsFirst() {
        StagingService noSudo = service("client_path = /usr/bin/pgstaging-client-missing\nuse_sudo = False");
        failsChangingNothing(() -> noSudo.restore("bad.a", DateSpec.latest(), null),
                "pgstaging-client is not installed on pgstaging@127.0.0.2", "dpkg -i pgstaging_" + Version.current());
        // through sudo, a program the rule does not name is one sudo wants a password for
        StagingService s = service("client_path = /usr/bin/pgstaging-client-missing");
        failsChangingNothing(() -> s.switchTo("bad.a", DateSpec.latest()),
                "asks pgstaging for a password to run /usr/bin/pgstaging-client-missing", "check that client_path is where");
    }

    @Test
    void aClientOfAnotherVersionSaysWhichSideToUpgrade() throws Exception {
        Path older = clientOfVersion("0.0.9");
        StagingService s = service("client_path = " + older + "\nuse_sudo = False");
        failsChangingNothing(() -> s.restore("bad.a", DateSpec.latest(), null),
                "pgstaging-client on pgstaging@127.0.0.2:" + env.sshd.port() + " is version 0.0.9, this pgstaging is " + Version.current(),
                "upgrade the pgstaging package on 127.0.0.2 to " + Version.current());
        Path newer = clientOfVersion("99.0.0");
        StagingService t = service("client_path = " + newer + "\nuse_sudo = False");
        failsChangingNothing(() -> t.drop("bad.a", DateSpec.latest()), "is version 99.0.0",
                "upgrade pgstaging on this machine to 99.0.0");
    }

    /** The packaged client, built as another version would be: the same jar with another version.properties. */
    private Path clientOfVersion(String version) throws Exception {
        Path dir = Files.createDirectories(env.dir.resolve("client-" + version));
        Path jar = dir.resolve("pgstaging.jar");
        Files.copy(Path.of("/usr/lib/pgstaging/pgstaging.jar"), jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Files.writeString(zip.getPath("org/pgstaging/version.properties"), "version=" + version + "\n", StandardCharsets.UTF_8);
        }
        Path script = dir.resolve("pgstaging-client");
        String launcher = Files.readString(DebianPackage.CLIENT).replace("/usr/lib/pgstaging/pgstaging.jar", jar.toString());
        Files.writeString(script, launcher);
        Unprivileged.chmod(script, "rwxr-xr-x");
        Unprivileged.chmod(jar, "rw-r--r--");
        Unprivileged.makeReadable(dir);
        return script;
    }
}
