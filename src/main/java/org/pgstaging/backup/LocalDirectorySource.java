package org.pgstaging.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Dumps in a local (or mounted) directory: same naming rule as listings, exact sizes from the file
 * system. "Downloading" copies with progress and the same part-file guarantees, or hands back the
 * file itself when it already sits in the target directory (so no second copy of a big dump).
 */
public final class LocalDirectorySource implements BackupSource {
    private final Path dir;

    public LocalDirectorySource(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path directory() { return dir; }

    @Override
    public String describe() { return dir.toString(); }

    @Override
    public List<BackupFile> list(String dbname) {
        DumpName.checkDbname(dbname);
        List<ListingEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                // follows symlinks: a "latest" link to a real dump is a dump
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(f, BasicFileAttributes.class);
                } catch (NoSuchFileException danglingOrRemoved) {
                    continue;
                }
                // a directory counts only as a pg_dump -Fd dump, i.e. with its toc.dat
                if (a.isDirectory() && !Files.isRegularFile(f.resolve("toc.dat"))) continue;
                entries.add(new ListingEntry(f.getFileName().toString(), !a.isRegularFile(),
                        a.isRegularFile() ? OptionalLong.of(a.size()) : OptionalLong.empty()));
            }
        } catch (NoSuchFileException e) {
            throw new BackupException("backup directory " + dir + " does not exist",
                    "check backup_base_url (a file: URL or an absolute path when backup_host is empty)", e);
        } catch (IOException e) {
            throw new BackupException("cannot list backup directory " + dir + ": " + e,
                    "check that the directory is readable", e);
        }
        return DumpName.select(dbname, entries, name -> dir.resolve(name).toUri());
    }

    /** The dump of that day in this directory, whether or not it exists yet. */
    public BackupFile locate(String dbname, LocalDate date) {
        String name = DumpName.fileName(dbname, date);
        return new BackupFile(dbname, date, name, dir.resolve(name).toUri(), OptionalLong.empty());
    }

    @Override
    public Path download(BackupFile backup, Path targetDir, DownloadListener listener) {
        if (DumpName.dateOf(backup.dbname(), backup.fileName()).isEmpty()) {
            throw new BackupException("'" + backup.fileName() + "' is not a dump name of " + backup.dbname(),
                    "dump files are named dbname.YYYY-MM-DD.dump");
        }
        Path source = dir.resolve(backup.fileName());
        Path target = targetDir.toAbsolutePath().normalize().resolve(backup.fileName());
        if (backup.isDirectory()) {
            // pg_restore reads a directory dump in place: copying it would only double the disk used
            if (!Files.isRegularFile(source.resolve("toc.dat"))) {
                throw new BackupException("no directory dump " + backup.fileName() + " (with a toc.dat) in " + dir,
                        "directory dumps are made by pg_dump -Fd");
            }
            (listener == null ? DownloadListener.NONE : listener).progress(0, 0, 0);
            return source;
        }
        if (!Files.isRegularFile(source)) {
            String hint;
            try {
                List<BackupFile> available = list(backup.dbname());
                hint = available.isEmpty() ? "no dumps of " + backup.dbname() + " in " + dir
                        : "nearest available dates: " + HttpBackupSource.nearest(available, backup.date());
            } catch (BackupException e) {
                hint = e.getMessage();
            }
            throw new BackupException("no dump " + backup.fileName() + " in " + dir, hint);
        }
        try {
            if (Files.exists(target) && Files.isSameFile(source, target)) {
                long size = Files.size(source);
                DownloadListener l = listener == null ? DownloadListener.NONE : listener;
                l.progress(size, size, 0);
                return target;
            }
            long size = Files.size(source);
            try (InputStream in = Files.newInputStream(source)) {
                return new Transfer(source.toString(), target, size, listener).run(in);
            }
        } catch (IOException e) {
            throw new BackupException("cannot read " + source + ": " + e.getMessage(),
                    "check that the file is readable", e);
        }
    }
}
