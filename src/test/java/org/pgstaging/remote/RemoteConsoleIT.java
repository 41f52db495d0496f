package org.pgstaging.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.ConfigLoader;
import org.pgstaging.job.EngineOptions;
import org.pgstaging.job.StagingService;
import org.pgstaging.testkit.RemoteStaging;
import org.pgstaging.testkit.Unprivileged;

/**
 * The console (pgstaging's command line, a fresh process each time, as users run it) on remote
 * servers: one SSH connection per server whatever the number of sections, ~/.ssh/config-style
 * Host aliases, and the pgbouncer service through pgstaging-client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteConsoleIT {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    private RemoteStaging env;

    record Ran(int exit, String out, String err) { }

    @BeforeAll
    void start() {
        assumeTrue(Unprivileged.isRoot(), "remote servers need root: dpkg -i of the package, sshd");
        env = RemoteStaging.shared();
    }

    /** {@code pgstaging -c ini ARGS} in a JVM of its own, reading {@code stdin}. */
    private Ran pgstaging(Path ini, String stdin, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("java", "-cp", System.getProperty("java.class.path"),
                "org.pgstaging.cli.Main", "-c", ini.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void dbsizesOverTwentySectionsOnTwoServersOpensTwoConnections() throws Exception {
        StringBuilder ini = new StringBuilder(env.defaults());
        for (int i = 0; i < 10; i++) {
            ini.append(env.section("many" + i + ".a", env.a, "many" + i)).append(env.section("many" + i + ".b", env.b, "many" + i));
        }
        env.publishDump("many0", DAY);
        Path file = env.writeConfig("many.ini", ini.toString());
        Ran restore = pgstaging(file, "", "restore", "many0.b", "latest");
        assertThat(restore.exit()).as(restore.err()).isZero();

        int before = env.sshd.acceptedLogins();
        Ran sizes = pgstaging(file, "", "dbsizes", "--all");
        assertThat(sizes.exit()).as(sizes.err()).isZero();
        assertThat(sizes.out()).contains("many0_20261124");
        assertThat(env.sshd.acceptedLogins() - before).as("one SSH login per server").isEqualTo(2);
    }

    @Test
    void aScriptOnTheConsoleDrivesRemoteSectionsAsLocalOnes() throws Exception {
        env.publishDump("scripted", DAY);
        Path file = env.writeConfig("scripted.ini", env.defaults() + env.section("scripted.a", env.a, "scripted"));
        Ran r = pgstaging(file, "restore scripted.a latest\ndatabases scripted.a\npause scripted.a\nresume scripted.a\n"
                + "pgbouncer scripted.a\n", "-");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("scripted_20261124");
        assertThat(env.a.aliasTarget("scripted")).isEqualTo("scripted_20261124");
    }

    @Test
    void aHostAliasOfAnSshConfigFileIsHonoured() throws Exception {
        Path sshConfig = env.writeConfig("ssh_config", "Host dbserver-b\n"
                + "    HostName 127.0.0.3\n"
                + "    Port " + env.sshd.port() + "\n"
                + "    User " + RemoteStaging.LOGIN + "\n"
                + "    IdentityFile " + env.sshd.clientKey() + "\n"
                + "    IdentitiesOnly yes\n"
                + "    UserKnownHostsFile " + env.sshd.knownHosts() + "\n");
        env.publishDump("aliased", DAY);
        // no ssh_user, ssh_port, ssh_identity nor ssh_known_hosts: all from the alias
        String defaults = env.defaults().lines().filter(l -> !l.startsWith("ssh_")).reduce("", (a, l) -> a + l + "\n");
        Path file = env.writeConfig("aliased.ini", defaults + env.section("aliased.b", env.b, "aliased",
                "ssh_host = dbserver-b", "ssh_config = " + sshConfig));
        StagingService s = new StagingService(ConfigLoader.load(file), EngineOptions.defaults(), null);
        s.restore("aliased.b", DateSpec.latest(), null);
        assertThat(env.b.aliasTarget("aliased")).isEqualTo("aliased_20261124");
        assertThat(s.databases("aliased.b")).singleElement().satisfies(d -> assertThat(d.active()).isTrue());
    }

    @Test
    void thePgbouncerServiceRunsThroughTheClient() throws Exception {
        Path file = env.writeConfig("service.ini", env.defaults() + env.section("service.a", env.a, "service"));
        StagingService s = new StagingService(ConfigLoader.load(file), EngineOptions.defaults(), null);
        if (Files.isDirectory(Path.of("/run/systemd/system"))) {
            assertThat(s.service("service.a", "status")).isNotNull();
        } else {
            // no systemd on this machine: systemctl's own words come back from the server
            assertThatThrownBy(() -> s.service("service.a", "status")).isInstanceOf(PgStagingException.class)
                    .hasMessageContaining("sudo -n /usr/bin/pgstaging-client service")
                    .hasMessageContaining("systemd");
            assertThatThrownBy(() -> s.service("service.a", "restart")).isInstanceOf(PgStagingException.class)
                    .hasMessageContaining("systemd");
        }
        assertThatThrownBy(() -> s.service("service.a", "explode")).isInstanceOf(PgStagingException.class)
                .hasMessageContaining("Unknown pgbouncer service action");
    }
}
