package org.pgstaging.catalog;

/**
 * What the header of a pg_dump archive says (custom format file, or a directory or tar dump's toc.dat).
 *
 * @param major          archive format version, e.g. 1
 * @param minor          e.g. 14 for pg_dump 12 to 15, 15 for 16, 16 for 17
 * @param revision       e.g. 0
 * @param intSize        bytes per integer in the archive
 * @param offSize        bytes per file offset in the archive
 * @param format         which pg_dump format wrote it
 * @param compression    how table data is compressed: "none", "gzip", "lz4", "zstd", or "gzip level N"
 * @param databaseName   the dumped database
 * @param serverVersion  version string of the dumped server, null in very old archives
 * @param pgDumpVersion  version string of the pg_dump that wrote it, null in very old archives
 * @param entryCount     number of catalog entries that follow
 */
public record ArchiveHeader(int major, int minor, int revision, int intSize, int offSize, Format format,
                            String compression, String databaseName, String serverVersion,
                            String pgDumpVersion, int entryCount) {

    /** Oldest archive version read: pg_dump 9.0's (1.12); older ones lack fields the filter relies on. */
    public static final String MIN_VERSION = "1.12";
    /** Newest archive version read: pg_dump 17's. */
    public static final String MAX_VERSION = "1.16";

    /**
     * The archive formats pg_dump writes, with the code its header stores. A directory dump's toc.dat stores
     * the tar code (3); the reader tells them apart by whether the bytes came out of a tar file.
     */
    public enum Format {
        CUSTOM(1), TAR(3), DIRECTORY(5);

        final int code;

        Format(int code) {
            this.code = code;
        }

        static Format ofCode(int code) {
            for (Format f : values()) {
                if (f.code == code) return f;
            }
            return null;
        }
    }

    public String version() {
        return major + "." + minor + "." + revision;
    }

    /** True when this archive's version is at least {@code major.minor}. */
    public boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }
}
