package org.pgstaging.catalog;

/**
 * The archive is a pg_dump archive, but of a format version this reader does not know.
 * Callers can catch it and fall back to {@code pg_restore -l} output read by {@link CatalogLineParser},
 * which a newer pg_restore still produces.
 */
public class UnsupportedArchiveVersionException extends CatalogException {
    private final String version;

    public UnsupportedArchiveVersionException(String source, String version) {
        super(source + ": pg_dump archive version " + version + " is not supported (supported: "
                        + ArchiveHeader.MIN_VERSION + " to " + ArchiveHeader.MAX_VERSION + ")",
                "list the catalog with a pg_restore at least as new as the pg_dump that made it "
                        + "(pg_restore -l DUMP > list) and filter that list instead");
        this.version = version;
    }

    /** The version found in the header, e.g. {@code 1.17.0}. */
    public String version() {
        return version;
    }
}
