package org.pgstaging.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The files of a directory-format dump ({@code pg_dump -Fd}) on an HTTP server, fetched one at a
 * time where the restore wants them: toc.dat first, then each table's data file as its loader is
 * ready for it. Names are those toc.dat records ({@code 1234.dat}, {@code blobs.toc}); the file on
 * the server may carry the suffix of pg_dump's compression ({@code .gz}, {@code .lz4}, {@code .zst}),
 * which pg_restore finds by itself, so the local copy keeps the server's name.
 */
public final class DumpFiles {
    /** What pg_dump appends to a data file's name when it compresses it; pg_restore looks for each. */
    private static final List<String> SUFFIXES = List.of("", ".gz", ".lz4", ".zst");

    /** Fetches one file with {@link Transfer}'s guarantees (length checked, whole or removed). */
    interface Fetcher {
        Path fetch(URI url, Path target, DownloadListener listener);
    }

    private final BackupFile backup;
    private final Map<String, ListingEntry> byName = new HashMap<>();
    private final Fetcher fetcher;

    DumpFiles(BackupFile backup, List<ListingEntry> entries, Fetcher fetcher) {
        this.backup = backup;
        this.fetcher = fetcher;
        for (ListingEntry e : DirectoryDownload.members(backup, entries)) byName.put(e.name(), e);
    }

    public BackupFile backup() {
        return backup;
    }

    /** The listed size of the file toc.dat calls {@code tocName}, whatever its suffix; empty when unlisted or unsized. */
    public OptionalLong sizeOf(String tocName) {
        ListingEntry e = entry(tocName);
        return e == null ? OptionalLong.empty() : e.size();
    }

    /** toc.dat into {@code dir}. */
    public Path fetchToc(Path dir, DownloadListener listener) {
        return fetch("toc.dat", dir, listener);
    }

    /**
     * The data of one catalog entry into {@code dir}: its file, and for a large objects' table of
     * contents ({@code blobs.toc}, {@code blobs_N.toc}) every blob file it names. Returns the files
     * fetched, for the caller to remove once loaded.
     */
    public List<Path> fetchData(String tocName, Path dir, DownloadListener listener) {
        List<Path> got = new ArrayList<>();
        Path main = fetch(tocName, dir, listener);
        got.add(main);
        if (tocName.startsWith("blobs") && tocName.endsWith(".toc")) {
            for (String blob : blobFiles(main)) got.add(fetch(blob, dir, listener));
        }
        return got;
    }

    private Path fetch(String tocName, Path dir, DownloadListener listener) {
        ListingEntry e = entry(tocName);
        if (e == null) {
            throw new BackupException("directory dump " + backup.location() + " has no file " + tocName
                    + " although its toc.dat names it", "the dump is incomplete or being replaced: restore another date");
        }
        URI url = backup.location().resolve(HttpBackupSource.encodeSegment(e.name()));
        return fetcher.fetch(url, dir.resolve(e.name()), listener);
    }

    private ListingEntry entry(String tocName) {
        for (String suffix : SUFFIXES) {
            ListingEntry e = byName.get(tocName + suffix);
            if (e != null) return e;
        }
        return null;
    }

    /** The blob files a blobs TOC names: one {@code OID FILENAME} line each (uncompressed even when the blobs are). */
    private List<String> blobFiles(Path toc) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(toc, StandardCharsets.US_ASCII)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] parts = line.strip().split(" ");
                if (parts.length != 2 || !DirectoryDownload.isMemberName(parts[1])) {
                    if (line.isBlank()) continue;
                    throw new BackupException("unexpected line in " + toc.getFileName() + " of " + backup.location()
                            + ": " + line, "a pg_dump -Fd blobs TOC holds 'OID blob_OID.dat' lines");
                }
                out.add(parts[1]);
            }
        } catch (IOException e) {
            throw new BackupException("cannot read " + toc + ": " + e.getMessage(), "check tmpdir", e);
        }
        return out;
    }
}
