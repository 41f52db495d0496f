package org.pgstaging.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgstaging.Version;
import org.pgstaging.testkit.DebianPackage;
import org.pgstaging.testkit.Unprivileged;

/**
 * The Debian package {@code mvn package} makes: dpkg -i installs the launcher, the jar, the client,
 * the man pages, the pgstaging user, the sudoers rule (checked with visudo) and the bot's unit (not
 * enabled); dpkg -r takes them away again, the sudoers rule first.
 */
class DebianPackageIT {
    private static final List<Path> FILES = List.of(Path.of("/usr/bin/pgstaging"), DebianPackage.CLIENT,
            Path.of("/usr/lib/pgstaging/pgstaging.jar"), Path.of("/usr/share/man/man1/pgstaging.1"),
            Path.of("/usr/share/man/man5/pgstaging.ini.5"), Path.of("/usr/share/man/man8/pgstaging-client.8"),
            Path.of("/lib/systemd/system/pgstaging-bot.service"), DebianPackage.SUDOERS);

    @Test
    void installsWhatAServerNeedsAndRemovesItCleanly() throws Exception {
        assumeTrue(Unprivileged.isRoot(), "dpkg needs root");
        assertThat(DebianPackage.dpkg("-I", DebianPackage.file().toString()))
                .contains("Package: pgstaging").contains("Architecture: all").contains("sudo").contains("openssh-client");
        try {
            DebianPackage.remove();
            DebianPackage.install();
            for (Path f : FILES) assertThat(f).as(f.toString()).exists();
            assertThat(Files.getPosixFilePermissions(DebianPackage.SUDOERS)).isEqualTo(PosixFilePermissions.fromString("r--r-----"));
            assertThat(Files.readString(DebianPackage.SUDOERS)).contains("pgstaging ALL=(root) NOPASSWD: /usr/bin/pgstaging-client\n");
            Unprivileged.run(List.of("visudo", "-c"), null, 30);
            assertThat(Unprivileged.run(List.of("getent", "passwd", "pgstaging"), null, 30)).contains(":/var/lib/pgstaging:/bin/sh");
            assertThat(Unprivileged.run(List.of("runuser", "-u", "pgstaging", "--", "sudo", "-n", DebianPackage.CLIENT.toString(),
                    "--version"), null, 60)).isEqualTo("pgstaging-client " + Version.current() + "\n");
            assertThat(Unprivileged.run(List.of("/usr/bin/pgstaging", "--version"), null, 60)).contains(Version.current());
            assertThat(Path.of("/etc/systemd/system/multi-user.target.wants/pgstaging-bot.service")).as("not enabled").doesNotExist();

            DebianPackage.remove();
            for (Path f : FILES) assertThat(f).as(f + " after dpkg -r").doesNotExist();
            assertThat(DebianPackage.dpkg("-s", "pgstaging")).contains("Status: deinstall ok config-files");
            Unprivileged.run(List.of("visudo", "-c"), null, 30);
        } finally {
            DebianPackage.install();
        }
        assertThat(DebianPackage.CLIENT).exists();
    }
}
