package org.pgstaging.restore;

import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.BackupSource;
import org.pgstaging.config.Section;

/**
 * How a dump reaches pg_restore, from {@code restore_mode} and what the dump and its source allow:
 * {@link #STREAM} feeds the download to pg_restore's stdin (time ≈ max(download, restore));
 * {@link #RANGES} fetches each table's data on its own (a byte range of a custom-format file, or
 * its file in a directory dump on an HTTP server) and loads it in parallel as it arrives
 * ({@link BlockRestore}; auto's choice for restore_jobs above 1; falls back to FILE when the server
 * or the dump cannot);
 * {@link #FILE} downloads to tmpdir first (needed by pg_restore -j and directory-format dumps).
 */
public enum RestoreMode {
    STREAM, RANGES, FILE;

    /** The mode and why, as shown in the download step. */
    public record Choice(RestoreMode mode, String why) {
        public boolean streams() { return mode == STREAM; }

        public boolean byBlocks() { return mode == RANGES; }

        @Override
        public String toString() { return mode.name().toLowerCase(java.util.Locale.ROOT) + " (" + why + ")"; }
    }

    /**
     * Decides before any side effect; an explicit {@code stream} that cannot be honoured is an error
     * naming the option, not a silent change of plan.
     */
    public static Choice choose(Section s, BackupFile backup, BackupSource source) {
        String configured = s.restoreMode();
        if (backup == null) return new Choice(FILE, "restoring a file on disk");
        boolean canStream = source.canStream(backup);
        // a directory dump on an HTTP server can be fetched file by file; a local one is read in place
        boolean byFiles = backup.isDirectory() && backup.location().getScheme() != null
                && backup.location().getScheme().startsWith("http");
        boolean canRange = byFiles || canStream && !backup.isDirectory();
        String whyNot = backup.isDirectory() ? "a directory-format dump is many files"
                : !canStream ? "dumps in " + source.describe() + " are read in place or copied, not streamed"
                : s.restoreJobs() > 1 ? "restore_jobs = " + s.restoreJobs() + " needs a seekable file" : null;
        switch (configured) {
            case "file":
                return new Choice(FILE, "restore_mode = file");
            case "ranges":
                if (!canRange) {
                    throw new PgStagingException("[" + s.name() + "] restore_mode = ranges cannot be used for "
                            + backup.fileName() + ": dumps in " + source.describe()
                            + " are read in place or copied, not fetched piece by piece",
                            "set restore_mode = auto or file for this section");
                }
                return new Choice(RANGES, "restore_mode = ranges");
            case "stream":
                if (whyNot != null) {
                    throw new PgStagingException("[" + s.name() + "] restore_mode = stream cannot be used for "
                            + backup.fileName() + ": " + whyNot,
                            s.restoreJobs() > 1 && canStream
                                    ? "set restore_jobs = 1 to stream, or restore_mode = auto"
                                    : "set restore_mode = auto or file for this section");
                }
                return new Choice(STREAM, "restore_mode = stream");
            default:
                if (whyNot == null) return new Choice(STREAM, "restore_mode = auto: restore_jobs = 1 and an HTTP source");
                if (s.restoreJobs() > 1 && canRange) {
                    // a copy of the dump is what remove_dump = False asks for: ranges do not make one
                    return s.removeDump()
                            ? new Choice(RANGES, "restore_mode = auto: restore_jobs = " + s.restoreJobs() + " and an HTTP source")
                            : new Choice(FILE, "restore_mode = auto: restore_jobs = " + s.restoreJobs()
                                    + " with remove_dump = False downloads the dump, then restores it");
                }
                return new Choice(FILE, "restore_mode = auto: " + whyNot);
        }
    }
}
