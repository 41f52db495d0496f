package org.pgstaging.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A dump's stream read twice from its start but fetched once: the catalog is read from
 * {@link #forCatalog()}, every byte of which also goes into a file; {@link #replay()} then gives
 * those bytes from the file followed by the rest of the same stream, for pg_restore. Fetching the
 * dump again from its first byte would bring the catalog twice (megabytes for a dump of thousands
 * of tables) and pay a second request's round trips.
 */
public final class ReplayedHead {
    private final InputStream stream;
    private final Path file;
    private HeadCopy copy;

    /** @param file where the bytes the catalog reader takes are kept (created or emptied) */
    public ReplayedHead(InputStream stream, Path file) {
        this.stream = stream;
        this.file = file;
    }

    /** The stream the catalog is read from; closing it ends the copy, not the stream. */
    public InputStream forCatalog() {
        copy = HeadCopy.of(new FilterInputStream(stream) {
            @Override
            public void close() {
                // the rest of the stream is replay()'s
            }
        }, file);
        return copy;
    }

    /** The bytes {@link #forCatalog()} gave, then the rest of the stream; closing it closes the stream. */
    public InputStream replay() {
        if (copy == null) throw new IllegalStateException("the catalog was not read from " + file);
        try {
            copy.close();
            return new SequenceInputStream(Files.newInputStream(file), stream);
        } catch (IOException e) {
            throw new BackupException("cannot read " + file + " again: " + e.getMessage(),
                    "check the permissions and free space of " + file.getParent(), e);
        }
    }
}
