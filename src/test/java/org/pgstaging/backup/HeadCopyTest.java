package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head of a dump is kept from the bytes its catalog was read from, cut where the data starts. */
class HeadCopyTest {
    private static final byte[] DUMP = new byte[300_000];

    static {
        for (int i = 0; i < DUMP.length; i++) DUMP[i] = (byte) (i * 31 + 7);
    }

    @TempDir
    Path dir;

    @Test
    void whatWasReadIsKeptUpToWhereTheDataStarts() throws Exception {
        Path head = dir.resolve("head");
        HeadCopy copy = HeadCopy.of(new ByteArrayInputStream(DUMP), head);
        assertThat(copy.read()).as("the one-byte read is copied too").isEqualTo(DUMP[0] & 0xff);
        byte[] buf = new byte[70_000];
        long read = 1;
        while (read < 200_000) read += copy.read(buf, 0, buf.length);
        copy.close(); // as the catalog reader closes it early, past the catalog

        assertThat(copy.keep(123_456)).isTrue();
        assertThat(Files.readAllBytes(head)).isEqualTo(Arrays.copyOf(DUMP, 123_456));
    }

    @Test
    void aStreamThatStoppedBeforeTheDataSaysSo() throws Exception {
        Path head = dir.resolve("head");
        HeadCopy copy = HeadCopy.of(new ByteArrayInputStream(DUMP, 0, 1_000), head);
        copy.readAllBytes();
        assertThat(copy.keep(5_000)).as("fewer bytes than the head: fetch it another way").isFalse();
    }

    @Test
    void anUnwritableFileIsRefusedWithItsPathAndTheStreamClosed() {
        Path head = dir.resolve("missing/head");
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(DUMP) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        assertThatThrownBy(() -> HeadCopy.of(in, head)).isInstanceOf(BackupException.class)
                .hasMessageContaining(head.toString());
        assertThat(closed[0]).isTrue();
    }
}
