package org.pgstaging.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary directories of tests and their helpers (state stores, message indexes, dumps made
 * once per run), removed when the test JVM exits. Why not JUnit's {@code @TempDir}: many are made
 * by helpers that are not test classes, or shared by every test of a run ({@link SourceDump});
 * left to {@code Files.createTempDirectory} alone they piled up in /tmp, a hundred per run.
 */
public final class TempDirs {
    private static final Set<Path> MADE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MADE.forEach(Unprivileged::deleteTree), "test-temp-dirs"));
    }

    private TempDirs() {}

    /** A new directory under java.io.tmpdir, named {@code prefix...}, removed at exit. */
    public static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            MADE.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #create}, owned by the unprivileged user that runs PostgreSQL (when we are root). */
    public static Path owned(String prefix) {
        Path dir = create(prefix);
        Unprivileged.giveTo(dir);
        return dir;
    }
}
