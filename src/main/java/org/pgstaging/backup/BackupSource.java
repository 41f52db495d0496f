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
}
