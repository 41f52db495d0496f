package org.pgstaging.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * initdb, postgres and pgbouncer refuse to run as root, and the tests run as root on the build machine.
 * This runs such commands as the {@code postgres} system user when (and only when) we are root, and
 * hands temporary directories over to that user.
 */
public final class Unprivileged {
    public static final String USER = "postgres";

    private Unprivileged() { }

    /** True when this JVM runs as uid 0. /proc/self belongs to the process's uid. */
    public static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** {@code runuser -u postgres -- argv...} when root, else argv unchanged. */
    public static List<String> argv(List<String> argv) {
        if (!isRoot()) {
            return List.copyOf(argv);
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", USER, "--"));
        wrapped.addAll(argv);
        return wrapped;
    }

    public static List<String> argv(String... argv) {
        return argv(List.of(argv));
    }

    /** A fresh temporary directory the unprivileged user owns (mode 0700), so it can hold a PGDATA. */
    public static Path ownedTempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            giveTo(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** chown -R to the unprivileged user (no-op when not root: we already are that user). */
    public static void giveTo(Path path) {
        if (!isRoot()) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal user = lookup.lookupPrincipalByName(USER);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(USER);
            for (Path p : (Iterable<Path>) all::iterator) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                view.setOwner(user);
                view.setGroup(group);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** chmod with a symbolic string such as {@code rwxr-xr-x}. */
    public static void chmod(Path path, String perms) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a root-owned directory usable (read + traverse) by the unprivileged user. */
    public static void makeReadable(Path dir) {
        chmod(dir, "rwxr-xr-x");
    }

    /**
     * Runs argv to completion in {@code cwd} (a directory the unprivileged user can enter, since
     * PostgreSQL tools complain when they cannot stat their working directory), merging stderr into
     * the returned output. A non-zero exit or a hang beyond {@code timeoutSeconds} throws with the output.
     */
    public static String run(List<String> argv, Path cwd, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        try {
            Path out = Files.createTempFile("pgstaging-test-cmd", ".out");
            try {
                Process p = pb.redirectOutput(out.toFile()).start();
                if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new IllegalStateException("Command hung for " + timeoutSeconds + "s: " + argv
                            + "\n" + Files.readString(out));
                }
                String output = Files.readString(out);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("Command failed with exit code " + p.exitValue()
                            + ": " + argv + "\n" + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + argv, e);
        }
    }

    /** rm -rf that tolerates files vanishing underneath it (a server shutting down). */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Best effort: a leftover temp dir must not fail a test run.
            try (Stream<Path> rest = Files.walk(root)) {
                rest.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
