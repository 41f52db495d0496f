package org.pgstaging.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The head of a dump (header and catalog) kept in a file as the catalog is read from the dump's
 * stream, so it is not fetched a second time: a dump of thousands of tables has a catalog of
 * megabytes, which a slow link would otherwise bring twice. The stream is read a little past the
 * catalog (buffers); {@link #keep} cuts the file where the data blocks start.
 */
public final class HeadCopy extends ArrayInputStream {
    private final InputStream in;
    private final OutputStream out;
    private final Path file;
    private long copied;
    private boolean closed;

    private HeadCopy(InputStream in, Path file) throws IOException {
        this.in = in;
        this.file = file;
        this.out = Files.newOutputStream(file);
    }

    /** {@code in}, every byte read from it also written into {@code file} (created or emptied). */
    public static HeadCopy of(InputStream in, Path file) {
        try {
            return new HeadCopy(in, file);
        } catch (IOException e) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the cause below says what went wrong
            }
            throw cannotWrite(file, e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            out.write(b, off, n);
            copied += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try (in; out) {
            // both closed, the file's bytes flushed
        }
    }

    /**
     * Cuts the file at {@code end}, where the data blocks start; false when fewer bytes were read
     * (the head must then be fetched another way).
     */
    public boolean keep(long end) {
        try {
            close();
            if (copied < end) return false;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(end);
            }
            return true;
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    private static BackupException cannotWrite(Path file, IOException e) {
        return new BackupException("cannot write " + file + ": " + e.getMessage(),
                "check the permissions and free space of " + file.getParent(), e);
    }
}
