package org.pgstaging.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.StagingTarget;

/**
 * What every group of verbs works with: the section targets, this run's options (dry run, who
 * acts, whether to wait) and the service's listener, with the few helpers they share.
 */
record VerbContext(SectionTargets targets, EngineOptions options, RestoreListener listener) {

    /** The section's target; the first use of a section restoring on its server looks there for dead restores. */
    StagingTarget target(String section) {
        return targets.settledTarget(section, listener, options.dryRun());
    }

    /** The service's listener and {@code l}, each hearing every event once. */
    RestoreListener both(RestoreListener l) {
        if (l == null || l == listener) return listener;
        return e -> {
            listener.on(e);
            l.on(e);
        };
    }

    /** Says what a dry run would do, as a detail line. */
    void wouldDo(RestoreListener l, String db, String what) {
        both(l).on(new RestoreEvent.Detail(db, null, "would: " + what));
    }

    /** The backup {@code date} designates in the section's listing; fails naming what is there. */
    static BackupFile findBackup(StagingTarget t, DateSpec date) {
        String dbname = t.section().dbname();
        List<BackupFile> list = t.backups().list(dbname);
        Optional<LocalDate> d = date.resolve(list.stream().map(BackupFile::date).toList(), LocalDate.now());
        if (d.isEmpty()) {
            throw new PgStagingException("no dump of " + dbname + " in " + t.backups().describe(),
                    "check backup_host and backup_base_url of [" + t.section().name() + "]");
        }
        return list.stream().filter(b -> b.date().equals(d.get())).findFirst().orElseThrow(() -> new PgStagingException(
                "no dump " + dbname + "." + d.get() + ".dump in " + t.backups().describe(),
                list.isEmpty() ? "the listing has no dump of " + dbname
                        : "available dates: " + String.join(", ", list.stream()
                        .sorted(Comparator.comparing(BackupFile::date).reversed()).limit(10)
                        .map(b -> b.date().toString()).toList())));
    }

    static DateSpec orToday(DateSpec date) {
        return date == null ? DateSpec.today() : date;
    }

    static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PgStagingException("cannot create directory " + dir + ": " + e.getMessage(),
                    "check tmpdir in the configuration or pass -t DIR", e);
        }
    }

    static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is harmless
        }
    }
}
