package org.pgstaging.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Small text files on this machine (configuration files, not dumps): read whole and strictly as
 * UTF-8, and replaced atomically (a temporary file renamed over the old one, owner, group and
 * mode kept, the previous content saved as {@code .bak}).
 */
final class TextFiles {
    /** Configuration files only: a bigger file is a mistake (wrong path), not something to load in memory. */
    static final long MAX_READ_BYTES = 16L * 1024 * 1024;
    private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private TextFiles() {}

    static String readFile(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_READ_BYTES) {
                throw new HostException("File " + file + " on localhost is " + size + " bytes, too big for a configuration file",
                        "check the path: pgstaging only reads small text files this way", null);
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new HostException("File " + file + " does not exist on localhost",
                    "check the path in the configuration", e);
        } catch (CharacterCodingException e) {
            throw new HostException("File " + file + " on localhost is not valid UTF-8",
                    "convert it to UTF-8 (e.g. iconv) or check the path", e);
        } catch (IOException e) {
            throw new HostException("Cannot read " + file + " on localhost: " + e,
                    "check that the file exists and that pgstaging may read it", e);
        }
    }

    static void replaceFile(Path file, String content) {
        Path target = resolveLinks(file);
        Path dir = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        PosixFileAttributes previous = attributesOrNull(target);
        Path temp = null;
        Path backupTemp = null;
        try {
            temp = Files.createTempFile(dir, "." + name + ".pgstaging-", ".tmp");
            writeDurably(temp, content.getBytes(StandardCharsets.UTF_8));
            applyAttributes(temp, previous);
            if (previous != null) {
                backupTemp = Files.createTempFile(dir, "." + name + ".bak.pgstaging-", ".tmp");
                writeDurably(backupTemp, Files.readAllBytes(target));
                applyAttributes(backupTemp, previous);
                Files.move(backupTemp, dir.resolve(name + ".bak"), StandardCopyOption.ATOMIC_MOVE);
                backupTemp = null;
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            syncDirectory(dir);
        } catch (AtomicMoveNotSupportedException e) {
            throw new HostException("Cannot replace " + file + " atomically on localhost: " + e.getMessage(),
                    "the file system of " + dir + " does not support atomic rename", e);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new HostException("Cannot replace " + file + " on localhost: " + e,
                    "check that pgstaging may write in " + dir + " and change file owners (run as root or use sudo); "
                            + "the file was left unchanged", e);
        } finally {
            deleteQuietly(temp);
            deleteQuietly(backupTemp);
        }
    }

    static void checkReplaceable(Path file) {
        Path dir = resolveLinks(file).getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new HostException("Cannot replace " + file + " on localhost: its directory " + dir
                    + " is not writable by " + System.getProperty("user.name"),
                    "pgstaging writes a new file next to it and renames it over: give this user write access to "
                            + dir + " (e.g. a group owning it with mode 2775)", null);
        }
    }

    /** Replacing a symlink would turn it into a plain file; replace what it points to instead. */
    static Path resolveLinks(Path file) {
        try {
            return Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
        } catch (IOException e) {
            throw new HostException("Cannot resolve " + file + " on localhost: " + e,
                    "check the path in the configuration", e);
        }
    }

    private static PosixFileAttributes attributesOrNull(Path file) {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new HostException("Cannot read the owner and mode of " + file + " on localhost: " + e,
                    "check that pgstaging may read " + file, e);
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** The new file must stay readable by the service reading it (e.g. pgbouncer), so copy owner, group and mode. */
    private static void applyAttributes(Path file, PosixFileAttributes previous) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (previous == null) {
            view.setPermissions(NEW_FILE_MODE);
            return;
        }
        PosixFileAttributes current = view.readAttributes();
        if (!current.owner().equals(previous.owner())) {
            view.setOwner(previous.owner());
        }
        if (!current.group().equals(previous.group())) {
            view.setGroup(previous.group());
        }
        view.setPermissions(previous.permissions());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot fsync a directory; the rename itself already happened.
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A stray temp file is harmless; the original error matters more.
            }
        }
    }
}
