package org.pgstaging.catalog;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** Entry points: open the catalog of a dump file, a dump directory, or a {@code pg_restore -l} list. */
public final class Catalog {
    private Catalog() {}

    /**
     * Opens the catalog of a pg_dump archive: a custom-format file, a directory-format dump (its toc.dat),
     * a toc.dat itself, or a tar-format file. Only the catalog at the start of the file is read.
     *
     * @throws CatalogException when the path is missing, not an archive, or of an unsupported version
     */
    public static ArchiveTocReader read(Path dumpFileOrDirectory) {
        Path file = tocFile(dumpFileOrDirectory);
        InputStream in = openFile(file);
        try {
            return ArchiveTocReader.open(in, file.toString());
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /** Opens the catalog at the start of an archive stream, e.g. the first bytes of a download. */
    public static ArchiveTocReader read(InputStream archive, String name) {
        return ArchiveTocReader.open(archive, name);
    }

    /**
     * Opens {@code path} whatever it holds: an archive as {@link #read(Path)} does, or a {@code pg_restore -l}
     * list file (recognised by its first line), parsed with {@code knownSchemas} to split unquoted names.
     */
    public static CatalogSource open(Path path, Collection<String> knownSchemas) {
        Path file = tocFile(path);
        InputStream in = new BufferedInputStream(openFile(file), 65536);
        try {
            in.mark(64); // the archive reader re-reads these bytes through its own buffer
            byte[] start = in.readNBytes(64);
            in.reset();
            if (looksLikeList(start)) {
                return new ListFileSource(new InputStreamReader(in, StandardCharsets.UTF_8), file.toString(),
                        knownSchemas);
            }
        } catch (IOException e) {
            closeQuietly(in);
            throw new CatalogException(file + ": cannot read: " + e.getMessage(), "check that the file is readable", e);
        }
        try {
            return ArchiveTocReader.open(in, file.toString());
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /**
     * Filters the catalog of {@code dumpOrList} (anything {@link #open} takes) into a {@code pg_restore -L}
     * list file. The file appears whole or not at all: it is written beside its final name, then moved.
     *
     * @throws CatalogException when the catalog cannot be read or the list cannot be written
     */
    public static FilterSummary filterTo(Path dumpOrList, FilterRules rules, Path listFile) {
        List<String> known = new java.util.ArrayList<>(rules.schemas());
        known.addAll(rules.schemasNodata());
        Path dir = listFile.toAbsolutePath().getParent();
        Path tmp = null;
        try (CatalogSource source = open(dumpOrList, known)) {
            tmp = Files.createTempFile(dir, "." + listFile.getFileName(), ".tmp");
            FilterSummary summary;
            try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                summary = new CatalogFilter(rules).filter(source, out);
            }
            Files.move(tmp, listFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return summary;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CatalogException("cannot write the restore list " + listFile + ": " + e.getMessage(),
                    "check that " + dir + " exists, is writable and has free space", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless and named after the list
                }
            }
        }
    }

    /** Reads {@code pg_restore -l} output. */
    public static CatalogSource readList(Reader list, String name, Collection<String> knownSchemas) {
        return new ListFileSource(list, name, knownSchemas);
    }

    /** Reads a {@code pg_restore -l} list file. */
    public static CatalogSource readList(Path listFile, Collection<String> knownSchemas) {
        return new ListFileSource(new InputStreamReader(openFile(listFile), StandardCharsets.UTF_8),
                listFile.toString(), knownSchemas);
    }

    /** Every entry of a source, for tests and small catalogs only: large ones must be streamed. */
    static List<CatalogEntry> readAll(CatalogSource source) {
        List<CatalogEntry> all = new java.util.ArrayList<>();
        source.forEachRemaining(all::add);
        return all;
    }

    private static Path tocFile(Path p) {
        if (Files.isDirectory(p)) {
            Path toc = p.resolve("toc.dat");
            if (!Files.isRegularFile(toc)) {
                throw new CatalogException(p + ": is a directory without a toc.dat",
                        "give a dump file, or a directory made by pg_dump -Fd");
            }
            return toc;
        }
        return p;
    }

    private static InputStream openFile(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new CatalogException(file + ": no such file", "check the dump path; download the dump first", e);
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot open: " + e.getMessage(),
                    "check the file's permissions", e);
        }
    }

    /** pg_restore -l output starts with its ';' header or with an entry line {@code 123; ...}. */
    private static boolean looksLikeList(byte[] start) {
        String s = new String(start, StandardCharsets.ISO_8859_1);
        if (s.startsWith(";")) return true;
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        return i > 0 && s.startsWith("; ", i);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
