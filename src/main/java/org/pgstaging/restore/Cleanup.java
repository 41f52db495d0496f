package org.pgstaging.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Remembers what a restore created so a failure can undo exactly that and say what it did:
 * a database that existed before the run is never touched.
 */
final class Cleanup {
    private final StagingTarget target;
    private final String database;
    private final EventEmitter events;
    private final List<Path> temporary = new ArrayList<>();
    private final List<Runnable> transfers = new ArrayList<>();
    private boolean createdDatabase;
    private boolean addedEntry;
    private Path downloadedDump;
    private boolean streamedOnly;

    Cleanup(StagingTarget target, String database, EventEmitter events) {
        this.target = target;
        this.database = database;
        this.events = events;
    }

    void createdDatabase() { createdDatabase = true; }

    void addedPgbouncerEntry() { addedEntry = true; }

    void downloaded(Path dump) { downloadedDump = dump; }

    void temporaryFile(Path file) { temporary.add(file); }

    /** A transfer running beside the steps (blocks fetched ahead): stopped before anything is removed. */
    void transfer(Runnable stop) { transfers.add(stop); }

    /** remove_dump with a streamed restore: no dump was ever stored, which the last step says. */
    void streamedWithoutCopy() { streamedOnly = true; }

    /** After success: remove temporary files and, when asked, the dump. */
    void success() {
        stopTransfers();
        deleteTemporary();
        if (downloadedDump != null) {
            Path dump = downloadedDump;
            events.step(Step.REMOVE_DUMP, dump.toString(), () -> delete(dump));
        } else if (streamedOnly) {
            events.step(Step.REMOVE_DUMP, "nothing to remove: the dump was streamed, never stored", () -> { });
        }
    }

    /**
     * After a failure: undo in reverse order; returns a sentence saying what was cleaned up. Runs on a
     * thread of its own that nobody interrupts: a second Ctrl-C or a cancel arriving during the cleanup
     * would otherwise abort its file writes and commands and leave a dangling pgbouncer entry.
     */
    String undo(boolean keepFailed) {
        boolean interrupted = Thread.interrupted();
        String[] result = new String[1];
        Thread worker = new Thread(() -> result[0] = undoNow(keepFailed), "pgstaging-cleanup-" + database);
        worker.start();
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return result[0] == null ? "cleanup crashed: see the log" : result[0];
    }

    private String undoNow(boolean keepFailed) {
        List<String> done = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        stopTransfers();
        {
            if (keepFailed && createdDatabase) {
                done.add("kept database " + database + " for inspection (keep_failed = True)");
            } else {
                if (addedEntry) {
                    try {
                        target.pgbouncer().removeDatabase(database);
                        done.add("removed " + database + " from pgbouncer");
                    } catch (RuntimeException e) {
                        problems.add("could not remove " + database + " from pgbouncer: " + e.getMessage());
                    }
                }
                if (createdDatabase) {
                    try {
                        target.admin().dropDatabase(database);
                        done.add("dropped database " + database);
                    } catch (RuntimeException e) {
                        problems.add("could not drop " + database + ": " + e.getMessage());
                    }
                }
            }
            deleteTemporary();
            if (downloadedDump != null && delete(downloadedDump)) {
                done.add("removed " + downloadedDump.getFileName());
            }
        }
        String summary = done.isEmpty() ? "nothing to clean up" : String.join("; ", done);
        if (!problems.isEmpty()) summary += "; CLEANUP INCOMPLETE: " + String.join("; ", problems);
        events.detail(Step.CLEANUP, summary);
        return summary;
    }

    private void stopTransfers() {
        for (Runnable stop : transfers) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                // stopping is best effort: the files it wrote are removed next all the same
            }
        }
        transfers.clear();
    }

    private void deleteTemporary() {
        temporary.forEach(Cleanup::delete);
    }

    /** Deletes a file, or a directory-format dump with its files. */
    static boolean delete(Path p) {
        try {
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (var files = Files.list(p)) {
                    for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
                }
            }
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            return false;
        }
    }
}
