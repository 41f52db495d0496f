package org.pgstaging.backup;

import java.net.URI;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * One dump found in a listing: {@code dbname.YYYY-MM-DD.dump}, a custom-format file or a
 * directory-format dump ({@code pg_dump -Fd}: a directory of that name holding toc.dat and data
 * files). {@code size} is exact when the listing gives bytes (nginx, local files) and approximate
 * or absent otherwise (Apache rounds); a directory has none.
 */
public record BackupFile(String dbname, LocalDate date, String fileName, URI location, OptionalLong size, Kind kind) {

    /** How the dump is stored. */
    public enum Kind { FILE, DIRECTORY }

    /** A dump file (custom format), as found in most listings. */
    public BackupFile(String dbname, LocalDate date, String fileName, URI location, OptionalLong size) {
        this(dbname, date, fileName, location, size, Kind.FILE);
    }

    public BackupFile {
        if (kind == null) kind = Kind.FILE;
    }

    public boolean isDirectory() { return kind == Kind.DIRECTORY; }

    /** The latest (or oldest) dated dump of {@code files}, as the only element; empty when none is dated. */
    public static List<BackupFile> pick(List<BackupFile> files, boolean latest) {
        Comparator<BackupFile> byDate = Comparator.comparing(BackupFile::date);
        var dated = files.stream().filter(f -> f.date() != null);
        return (latest ? dated.max(byDate) : dated.min(byDate)).map(List::of).orElse(List.of());
    }
}
