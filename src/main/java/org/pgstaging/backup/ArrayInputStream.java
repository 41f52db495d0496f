package org.pgstaging.backup;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream whose work is in {@link #read(byte[], int, int)}: the one-byte read goes through it, so
 * a stream's checks (a range cut short, a closed spool) hold for every read.
 */
abstract class ArrayInputStream extends InputStream {
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
