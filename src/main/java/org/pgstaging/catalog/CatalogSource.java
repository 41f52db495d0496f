package org.pgstaging.catalog;

import java.util.Iterator;
import java.util.Optional;

/**
 * Entries of one dump catalog, read one at a time in archive order so a catalog of any size
 * is never held whole. Close it to release the underlying file.
 */
public interface CatalogSource extends Iterator<CatalogEntry>, AutoCloseable {

    /** The archive header when the source is an archive; empty for {@code pg_restore -l} text. */
    Optional<ArchiveHeader> header();

    /** Where the entries come from, for messages. */
    String name();

    @Override
    void close();
}
