package org.pgstaging.backup;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * A directory-format dump ({@code pg_dump -Fd}) fetched from its own listing: every plain file
 * (toc.dat, NNNN.dat.gz, blobs.toc...) downloaded by a bounded pool into
 * {@code .name.part/}, each with {@link Transfer}'s guarantees, and the directory renamed to
 * {@code name} once all are whole. Any failure removes the partial directory.
 */
final class DirectoryDownload {
    /** The names pg_dump gives the files of a directory dump; anything else could escape or surprise. */
    private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private DirectoryDownload() { }

    interface FileFetcher {
        Path fetch(URI url, Path target, DownloadListener listener);
    }

    static Path run(BackupFile backup, List<ListingEntry> entries, Path targetDir, int connections,
                    DownloadListener listener, FileFetcher fetcher) {
        List<ListingEntry> files = members(backup, entries);
        long total = files.stream().allMatch(e -> e.size().isPresent())
                ? files.stream().mapToLong(e -> e.size().getAsLong()).sum() : -1;
        Transfer.checkTargetDir(targetDir, total);
        Path target = targetDir.resolve(backup.fileName());
        Path part = Transfer.partFile(target);
        deleteTree(part);
        ProgressMeter meter = new ProgressMeter(listener, total);
        Map<String, Long> progress = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(connections, files.size())), r -> {
            Thread t = new Thread(r, "download-dump-file");
            t.setDaemon(true);
            return t;
        });
        boolean done = false;
        try {
            Files.createDirectory(part);
            List<Future<Path>> futures = new ArrayList<>();
            for (ListingEntry e : files) {
                URI url = backup.location().resolve(HttpBackupSource.encodeSegment(e.name()));
                futures.add(pool.submit(() -> fetcher.fetch(url, part.resolve(e.name()), (bytes, t, rate) -> {
                    progress.put(e.name(), bytes);
                    long sum = progress.values().stream().mapToLong(Long::longValue).sum();
                    synchronized (meter) {
                        meter.update(sum);
                    }
                })));
            }
            for (Future<Path> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new BackupException("download of " + backup.location() + " interrupted; partial files removed", null, ie);
                } catch (ExecutionException ee) {
                    if (ee.getCause() instanceof RuntimeException r) throw r;
                    throw new BackupException("cannot download " + backup.location() + ": " + ee.getCause(), null, ee.getCause());
                }
            }
            deleteTree(target);
            Transfer.commit(part, target);
            done = true;
            synchronized (meter) {
                meter.finish(progress.values().stream().mapToLong(Long::longValue).sum());
            }
            return target;
        } catch (IOException e) {
            throw new BackupException("cannot write " + part + ": " + e.getMessage(),
                    "check the permissions and free space of " + targetDir, e);
        } finally {
            pool.shutdownNow();
            if (!done) deleteTree(part);
        }
    }

    /** The plain files of a directory dump's listing, refused when one has a strange name or toc.dat is missing. */
    static List<ListingEntry> members(BackupFile backup, List<ListingEntry> entries) {
        List<ListingEntry> files = new ArrayList<>();
        for (ListingEntry e : entries) {
            if (e.directory()) continue;
            if (!isMemberName(e.name())) {
                throw new BackupException("unexpected file '" + e.name() + "' in directory dump " + backup.location(),
                        "a pg_dump -Fd directory holds toc.dat and numbered data files only");
            }
            files.add(e);
        }
        if (files.stream().noneMatch(e -> e.name().equals("toc.dat"))) {
            throw new BackupException(backup.location() + " is a directory without a toc.dat, not a pg_dump -Fd dump",
                    "publish dumps as dbname.YYYY-MM-DD.dump files, or as directories made by pg_dump -Fd");
        }
        return files;
    }

    static boolean isMemberName(String name) {
        return MEMBER.matcher(name).matches();
    }

    /** A directory dump is one level of plain files. */
    static void deleteTree(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (var files = Files.list(dir)) {
            files.forEach(Transfer::deleteQuietly);
        } catch (IOException ignored) {
            // best effort, as for a partial file
        }
        Transfer.deleteQuietly(dir);
    }
}
