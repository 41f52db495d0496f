package org.pgstaging.backup;

import org.pgstaging.Sizes;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Streams a dump into {@code targetDir/.name.part} through a fixed buffer, fsyncs it and renames
 * it to {@code name} only when complete; on any failure the partial file is removed, so a file
 * named like a dump in tmpdir is always a whole one.
 */
final class Transfer {
    static final int BUFFER_SIZE = 128 * 1024;

    private final String source;
    private final Path target;
    private final long expected;
    private final DownloadListener listener;

    /**
     * @param source   what is copied, for messages (a URL or a path)
     * @param expected bytes announced by the source, or -1 when unknown
     */
    Transfer(String source, Path target, long expected, DownloadListener listener) {
        this.source = source;
        this.target = target;
        this.expected = expected;
        this.listener = listener;
    }

    static Path partFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".part");
    }

    /** Fails early when the target directory is missing or too small for the announced size. */
    static void checkTargetDir(Path dir, long needed) {
        if (!Files.isDirectory(dir)) {
            throw new BackupException("download directory " + dir + " does not exist",
                    "create it or set tmpdir to an existing directory");
        }
        if (!Files.isWritable(dir)) {
            throw new BackupException("download directory " + dir + " is not writable",
                    "fix its permissions or set tmpdir to a writable directory");
        }
        if (needed < 0) return;
        long usable;
        try {
            usable = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return; // cannot tell: the write itself will report a full disk
        }
        if (usable < needed) {
            throw new BackupException("not enough space in " + dir + ": the dump needs " + Sizes.human(needed)
                    + " (" + needed + " bytes) but only " + Sizes.human(usable) + " (" + usable + " bytes) are free",
                    "free space in " + dir + " or set tmpdir to a larger filesystem");
        }
    }

    Path run(InputStream in) {
        checkTargetDir(target.getParent(), expected);
        Path part = partFile(target);
        long count = 0;
        ProgressMeter meter = new ProgressMeter(listener, expected);
        boolean done = false;
        try {
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[BUFFER_SIZE];
                while (true) {
                    int n = read(in, buf, count);
                    if (n < 0) break;
                    if (Thread.currentThread().isInterrupted()) throw interrupted(count);
                    write(out, buf, n, count);
                    count += n;
                    meter.update(count);
                }
                if (expected >= 0 && count != expected) throw truncated(count, null);
                force(out, count);
            }
            commit(part, target);
            done = true;
            meter.finish(count);
            return target;
        } catch (IOException e) {
            throw new BackupException("cannot write " + part + ": " + e.getMessage(),
                    "check the permissions and free space of " + target.getParent(), e);
        } finally {
            if (!done) deleteQuietly(part);
        }
    }

    private int read(InputStream in, byte[] buf, long count) {
        try {
            return in.read(buf);
        } catch (SocketTimeoutException e) {
            throw new BackupException("timed out reading " + source + " after " + count + " bytes"
                    + ofExpected(), "the backup server stalled; retry, or check the network to it", e);
        } catch (InterruptedIOException e) {
            throw interrupted(count);
        } catch (IOException e) {
            if (expected >= 0 && count < expected) throw truncated(count, e);
            throw new BackupException("error reading " + source + " after " + count + " bytes: " + e.getMessage(),
                    "retry the download; if it keeps failing, check the backup server", e);
        }
    }

    private void write(FileChannel out, byte[] buf, int n, long count) throws IOException {
        try {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) out.write(bb);
        } catch (ClosedByInterruptException e) {
            throw interrupted(count);
        } catch (IOException e) {
            if (isDiskFull(e)) throw diskFull(count, e);
            throw e;
        }
    }

    private void force(FileChannel out, long count) throws IOException {
        try {
            out.force(true);
        } catch (ClosedByInterruptException e) {
            throw interrupted(count);
        } catch (IOException e) {
            if (isDiskFull(e)) throw diskFull(count, e);
            throw e;
        }
    }

    /** Renames a finished part file to its final name, durably when the file system allows it. */
    static void commit(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        // the rename is only durable once the directory entry is on disk; not all systems allow it
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    static boolean isDiskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) return true;
        }
        return false;
    }

    private BackupException diskFull(long count, IOException e) {
        String needed = expected >= 0 ? Sizes.human(expected) + " (" + expected + " bytes)" : "an unknown size";
        return new BackupException("disk full in " + target.getParent() + " while downloading " + target.getFileName()
                + ": needed " + needed + ", wrote " + count + " bytes before the filesystem filled up",
                "free space in " + target.getParent() + " or set tmpdir to a larger filesystem", e);
    }

    private BackupException truncated(long count, IOException cause) {
        return new BackupException("truncated: got " + count + " of " + expected + " bytes of " + source
                + (cause == null ? "" : " (" + cause.getMessage() + ")"),
                "the server closed the connection early; retry, and check the dump on the backup server", cause);
    }

    private BackupException interrupted(long count) {
        Thread.currentThread().interrupt(); // keep the flag for the caller's own cancellation logic
        return new BackupException("download of " + source + " interrupted after " + count + " bytes"
                + ofExpected() + "; partial file removed", null);
    }

    private String ofExpected() {
        return expected >= 0 ? " of " + expected : "";
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing better to do: the error being reported matters more
        }
    }
}
