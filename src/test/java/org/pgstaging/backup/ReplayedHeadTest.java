package org.pgstaging.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pg_restore gets the whole dump, in order, from the bytes the catalog reader took and the same stream's rest. */
class ReplayedHeadTest {
    private static final byte[] DUMP = new byte[500_000];

    static {
        for (int i = 0; i < DUMP.length; i++) DUMP[i] = (byte) (i * 131 + 11);
    }

    @TempDir
    Path dir;

    @Test
    void theCatalogReadersBytesReadAheadIncludedComeAgainBeforeTheRest() throws Exception {
        boolean[] closed = {false};
        InputStream stream = new ByteArrayInputStream(DUMP) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ReplayedHead head = new ReplayedHead(stream, dir.resolve("head"));

        // a reader with its own buffer takes more than it uses, then closes its stream early
        try (InputStream catalog = new BufferedInputStream(head.forCatalog(), 65_536)) {
            assertThat(catalog.readNBytes(70_000)).hasSize(70_000);
        }
        assertThat(closed[0]).as("the catalog reader's close leaves the stream open").isFalse();

        try (InputStream replay = head.replay()) {
            assertThat(replay.readAllBytes()).isEqualTo(DUMP);
        }
        assertThat(closed[0]).as("the replay closes the stream").isTrue();
    }

    @Test
    void aDumpTheCatalogReaderReadToItsEndIsReplayedWhole() throws Exception {
        ReplayedHead head = new ReplayedHead(new ByteArrayInputStream(DUMP, 0, 1_000), dir.resolve("head"));
        try (InputStream catalog = head.forCatalog()) {
            assertThat(catalog.readAllBytes()).hasSize(1_000);
        }
        try (InputStream replay = head.replay()) {
            assertThat(replay.readAllBytes()).hasSize(1_000).isEqualTo(java.util.Arrays.copyOf(DUMP, 1_000));
        }
    }
}
