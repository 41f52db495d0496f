package org.pgstaging.host;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Locks on files against every other pgstaging: another thread of this process or another process
 * (the bot and a console, or pgstaging-client on a server). The lock is a separate file next to the
 * locked one, so that one can be replaced while it is held.
 */
final class FileLocks {
    /** One lock per file within this JVM: FileChannel locks are per process and would throw on a second taker. */
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    /** Group-writable so that pgstaging run by another member of the group can take the lock too. */
    private static final Set<PosixFilePermission> LOCK_FILE_MODE = PosixFilePermissions.fromString("rw-rw-r--");

    private FileLocks() {}

    /**
     * Runs {@code work} holding an exclusive lock on {@code file} against every other pgstaging, in
     * this process or another one. The lock is a separate file next to {@code file} (an fcntl lock on
     * {@code .NAME.pgstaging-lock}), so the file itself can be replaced while it is held. Blocks until
     * the lock is free; an interrupt gives up waiting.
     */
    static <T> T withFileLock(Path file, Supplier<T> work) {
        Path target = TextFiles.resolveLinks(file);
        Path lockFile = target.resolveSibling("." + target.getFileName() + ".pgstaging-lock");
        ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        try {
            local.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("Interrupted while waiting for the lock on " + file, "nothing was changed", e);
        }
        try {
            if (local.getHoldCount() > 1) return work.get();   // re-entered by the holder: already locked
            try (FileChannel channel = openLockFile(lockFile); var ignored = channel.lock()) {
                return work.get();
            } catch (ClosedByInterruptException e) {
                throw new HostException("Interrupted while waiting for the lock on " + file, "nothing was changed", e);
            } catch (IOException e) {
                throw new HostException("Cannot lock " + lockFile + " on localhost: " + e,
                        "pgstaging needs to create and write that file next to " + target.getFileName()
                                + "; check the permissions of " + lockFile.getParent(), e);
            }
        } finally {
            local.unlock();
        }
    }

    private static FileChannel openLockFile(Path lockFile) throws IOException {
        try {
            Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(LOCK_FILE_MODE));
            Files.setPosixFilePermissions(lockFile, LOCK_FILE_MODE);   // the umask may have taken the group's w
        } catch (FileAlreadyExistsException exists) {
            // made by an earlier run
        }
        return FileChannel.open(lockFile, StandardOpenOption.WRITE);
    }
}
