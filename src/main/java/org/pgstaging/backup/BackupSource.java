package org.pgstaging.backup;

import java.nio.file.Path;
import java.util.List;

/** Where a section's dumps live: an HTTP directory listing or a local directory. */
public interface BackupSource {
    /** Dumps of {@code dbname}, oldest first; files not named {@code dbname.YYYY-MM-DD.dump} are ignored. */
    List<BackupFile> list(String dbname);

    /**
     * Streams the dump into {@code targetDir/fileName} with bounded memory, reporting progress;
     * verifies the length, and on any failure removes the partial file and throws {@link BackupException}.
     */
    Path download(BackupFile backup, Path targetDir, DownloadListener listener);

    /** Human description for messages, e.g. the listing URL. */
    String describe();

    /**
     * Opens the dump for reading from its start, e.g. to read its catalog without downloading it
     * all. The default serves local files; HTTP sources stream the body.
     */
    default java.io.InputStream openStream(BackupFile backup) {
        if (!"file".equals(backup.location().getScheme())) {
            throw new BackupException("cannot open " + backup.location() + " from " + describe(), null);
        }
        try {
            return java.nio.file.Files.newInputStream(java.nio.file.Path.of(backup.location()));
        } catch (java.io.IOException e) {
            throw new BackupException("cannot read " + backup.location() + ": " + e.getMessage(),
                    "check the file's permissions", e);
        }
    }
}
