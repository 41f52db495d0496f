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

    /**
     * Whether {@link #stream} can feed this dump to a restore as it downloads (HTTP sources, dump
     * files; not directory-format dumps, which are many files).
     */
    default boolean canStream(BackupFile backup) {
        return false;
    }

    /**
     * The dump's bytes as they arrive, checked for length; when {@code keepAs} is not null they are
     * also written to that file (whole or not at all). See {@link DumpStream}.
     */
    default DumpStream stream(BackupFile backup, Path keepAs, DownloadListener listener) {
        throw new BackupException(describe() + " cannot stream " + backup.fileName(),
                "set restore_mode = file for this section");
    }

    /**
     * {@link #stream(BackupFile, Path, DownloadListener)} fetched over up to {@code connections}
     * parallel ranged connections where the source supports it, still handed out in order.
     */
    default DumpStream stream(BackupFile backup, Path keepAs, DownloadListener listener, int connections) {
        return stream(backup, keepAs, listener);
    }

    /**
     * {@link #download(BackupFile, Path, DownloadListener)} with up to {@code connections} parallel
     * connections where the source supports it (HTTP servers accepting byte ranges).
     */
    default Path download(BackupFile backup, Path targetDir, DownloadListener listener, int connections) {
        return download(backup, targetDir, listener);
    }

    /**
     * The dump as byte ranges, when its server serves them (HTTP with {@code Accept-Ranges: bytes}
     * and a length); empty otherwise: local files are read in place, directory dumps are many files.
     */
    default java.util.Optional<RangedFile> ranged(BackupFile backup) {
        return java.util.Optional.empty();
    }

    /**
     * A directory-format dump's files, to fetch one at a time (HTTP sources); empty otherwise: local
     * directory dumps are read in place, and other dumps are one file.
     */
    default java.util.Optional<DumpFiles> files(BackupFile backup) {
        return java.util.Optional.empty();
    }

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
            Path p = java.nio.file.Path.of(backup.location());
            return java.nio.file.Files.newInputStream(backup.isDirectory() ? p.resolve("toc.dat") : p);
        } catch (java.io.IOException e) {
            throw new BackupException("cannot read " + backup.location() + ": " + e.getMessage(),
                    "check the file's permissions", e);
        }
    }
}
