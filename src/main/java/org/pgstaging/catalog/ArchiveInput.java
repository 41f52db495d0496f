package org.pgstaging.catalog;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The archive reader's own buffer over a stream. A catalog is millions of one-byte reads (every integer is
 * a sign byte and four value bytes), which an unsynchronized array serves several times faster than
 * {@link java.io.BufferedInputStream#read()}. Reads ahead up to one buffer past what was asked.
 */
final class ArchiveInput implements AutoCloseable {
    private final InputStream raw;
    private final byte[] buf;
    private int pos;
    private int limit;
    /** Bytes of the stream before buf[0]: the stream position is {@code base + pos}. */
    private long base;

    ArchiveInput(InputStream raw, int bufferSize) {
        this.raw = raw;
        this.buf = new byte[bufferSize];
    }

    /** Up to {@code n} next bytes without consuming them; fewer only at the end of the stream. */
    byte[] peek(int n) throws IOException {
        fillAtLeast(Math.min(n, buf.length));
        return Arrays.copyOfRange(buf, pos, Math.min(limit, pos + n));
    }

    int readByte() throws IOException {
        if (pos == limit && !fillAtLeast(1)) throw new EOFException();
        return buf[pos++] & 0xff;
    }

    /** How many bytes of the stream were consumed so far. */
    long position() {
        return base + pos;
    }

    void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            if (pos == limit && !fillAtLeast(1)) throw new EOFException();
            int step = (int) Math.min(left, limit - pos);
            pos += step;
            left -= step;
        }
    }

    String readString(int len, NameDecoding decoding) throws IOException {
        if (len <= buf.length) {
            if (limit - pos < len && !fillAtLeast(len)) throw new EOFException();
            String s = decoding.decode(buf, pos, len);
            pos += len;
            return s;
        }
        byte[] bytes = new byte[Math.min(len, 1 << 20)];
        int have = 0;
        while (have < len) {
            if (pos == limit && !fillAtLeast(1)) throw new EOFException();
            if (have == bytes.length) bytes = Arrays.copyOf(bytes, (int) Math.min(len, 2L * bytes.length));
            int step = Math.min(len - have, limit - pos);
            System.arraycopy(buf, pos, bytes, have, step);
            pos += step;
            have += step;
        }
        return decoding.decode(bytes, 0, len);
    }

    /** Makes at least {@code n} (at most the buffer size) bytes available; false when the stream ends first. */
    private boolean fillAtLeast(int n) throws IOException {
        if (limit - pos >= n) return true;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            base += pos;
            pos = 0;
        }
        while (limit < n) {
            int r = raw.read(buf, limit, buf.length - limit);
            if (r < 0) return false;
            limit += r;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
