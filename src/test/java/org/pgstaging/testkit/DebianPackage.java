package org.pgstaging.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.pgstaging.Version;

/**
 * The Debian package the build made ({@code target/pgstaging_VERSION_all.deb}), installed on this
 * machine for the tests that play a database server: pgstaging-client, the pgstaging user and the
 * sudoers rule come from it, as they would on a real server. Needs root; the failsafe phase runs
 * after {@code package}, so the file is there.
 */
public final class DebianPackage {
    public static final Path CLIENT = Path.of("/usr/bin/pgstaging-client");
    public static final Path SUDOERS = Path.of("/etc/sudoers.d/pgstaging");
    public static final Path CLIENT_CONFIG = Path.of("/etc/pgstaging/pgstaging-client.conf");
    private static boolean installed;

    private DebianPackage() {}

    public static Path file() {
        Path deb = Path.of("target", "pgstaging_" + Version.current() + "_all.deb");
        if (!Files.isRegularFile(deb)) {
            throw new IllegalStateException(deb + " is missing: run mvn package (the *IT tests run after it)");
        }
        return deb;
    }

    /** Installs the package once per test JVM (dpkg -i replaces an older build of it). */
    public static synchronized void install() {
        if (installed && Files.isExecutable(CLIENT)) return;
        dpkg("-i", file().toString());
        installed = true;
    }

    public static synchronized void remove() {
        dpkg("-r", "pgstaging");
        installed = false;
    }

    public static String dpkg(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("dpkg"));
        argv.addAll(List.of(args));
        return Unprivileged.run(argv, null, 300);
    }

    /** Writes pgstaging-client.conf allowing {@code dirs}; the returned handle puts the previous file back. */
    public static AutoCloseable allowPgbouncerDirs(List<Path> dirs) {
        try {
            String previous = Files.exists(CLIENT_CONFIG) ? Files.readString(CLIENT_CONFIG) : null;
            Files.writeString(CLIENT_CONFIG, "[client]\npgbouncer_dirs = "
                    + dirs.stream().map(Path::toString).collect(Collectors.joining(", ")) + "\npgbouncer_unit = pgbouncer\n",
                    StandardCharsets.UTF_8);
            return () -> {
                if (previous != null) Files.writeString(CLIENT_CONFIG, previous, StandardCharsets.UTF_8);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
