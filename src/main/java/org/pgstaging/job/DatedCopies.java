package org.pgstaging.job;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.pgbouncer.PgbouncerEntry;
import org.pgstaging.postgres.CopyMark;
import org.pgstaging.postgres.DatedDatabase;
import org.pgstaging.restore.StagingTarget;

/**
 * The dated copies {@code dbname_YYYYMMDD} of a section, as pgbouncer.ini and PostgreSQL know them,
 * and which one the alias points to. Resolves user dates (latest, oldest...) against them.
 */
final class DatedCopies {
    final StagingTarget target;
    final Map<String, PgbouncerEntry> pgbouncerEntries;
    /** Copy name -> date, oldest first. */
    final TreeMap<LocalDate, String> byDate = new TreeMap<>();
    final java.util.Set<String> inPostgres;
    /** Copies whose restore never completed, with their mark ({@link CopyMark}). */
    final Map<String, String> incomplete = new java.util.LinkedHashMap<>();
    /** When pgstaging's restores of the complete copies ended, as their marks say. */
    final Map<String, java.time.Instant> completedAt = new java.util.HashMap<>();
    final Optional<String> active;

    DatedCopies(StagingTarget target) {
        this(target, target.pgbouncer().entries());
    }

    /** With pgbouncer.ini's entries already read (sections sharing one pgbouncer read it once). */
    DatedCopies(StagingTarget target, Map<String, PgbouncerEntry> pgbouncerEntries) {
        this.target = target;
        String dbname = target.section().dbname();
        this.pgbouncerEntries = pgbouncerEntries;
        Map<String, String> comments = target.admin().commentsStartingWith(dbname + "_");
        this.inPostgres = new java.util.HashSet<>(comments.keySet());
        comments.forEach((name, comment) -> {
            if (CopyMark.isIncomplete(comment)) incomplete.put(name, comment);
            CopyMark.completedAt(comment).ifPresent(at -> completedAt.put(name, at));
        });
        for (String name : pgbouncerEntries.keySet()) {
            DatedDatabase.dateOf(dbname, name).ifPresent(d -> byDate.put(d, name));
        }
        for (String name : inPostgres) {
            DatedDatabase.dateOf(dbname, name).ifPresent(d -> byDate.putIfAbsent(d, name));
        }
        PgbouncerEntry aliasEntry = pgbouncerEntries.get(dbname);
        this.active = aliasEntry == null ? Optional.empty() : Optional.of(aliasEntry.databaseFor(dbname));
    }

    boolean isActive(String name) {
        return active.map(name::equals).orElse(false);
    }

    /**
     * Whether a pgstaging restore completed the copy at or after {@code since}. The mark is written
     * by the clock of the machine that ran the restore (a remote server's, for a remote target): a
     * skew can only make a finished run look unfinished (it runs again and says the copy exists) or a
     * copy made just before the run look like its work (the date's copy is there, complete).
     */
    boolean completedSince(String name, java.time.Instant since) {
        java.time.Instant at = completedAt.get(name);
        return at != null && since != null && !at.isBefore(since.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    boolean inPgbouncer(String name) {
        return pgbouncerEntries.containsKey(name);
    }

    boolean isIncomplete(String name) {
        return incomplete.containsKey(name);
    }

    /** Refuses a copy pgbouncer.ini names but PostgreSQL does not have (a stale entry). */
    void refuseMissing(String name, StagingTarget t) {
        if (inPostgres.contains(name)) return;
        throw new PgStagingException("database " + name + " is in pgbouncer.ini but not in PostgreSQL on " + t.postgres(),
                "restore it again, or drop the stale entry with pgstaging drop " + t.section().name() + " "
                        + name.substring(name.length() - 8));
    }

    /** Refuses to drop (or {@code what}) the copy the alias points to, saying how to free it. */
    void refuseActive(String name, String what) {
        if (!isActive(name)) return;
        throw new PgStagingException("refusing to " + what + " " + name + ": the alias " + target.section().dbname()
                + " points to it", "switch the alias to another copy first (pgstaging switch " + target.section().name() + " DATE)");
    }

    /**
     * Drops a copy: its pgbouncer clients are killed and its entry removed (one RELOAD), then the
     * database (sessions terminated). Says whether it was in pgbouncer.
     */
    boolean drop(String name) {
        boolean entry = pgbouncerEntries.containsKey(name);
        if (entry) {
            try {
                target.pgbouncer().kill(name);
            } catch (RuntimeException e) {
                // not yet loaded by pgbouncer (never reloaded): nothing to kill
            }
            target.pgbouncer().removeDatabase(name);
        }
        target.admin().dropDatabase(name);
        return entry;
    }

    /**
     * The copies {@code purge} drops, each with why, in order: those whose restore never completed
     * first (they do not count among the kept), then all but the {@code keep} newest; never the
     * copy the alias points to.
     */
    Map<String, String> purgeable(int keep) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String name : incomplete.keySet()) {
            if (!isActive(name)) out.put(name, "its restore did not complete");
        }
        java.util.List<String> newestFirst = new java.util.ArrayList<>(byDate.descendingMap().values());
        newestFirst.removeAll(incomplete.keySet());
        for (int i = keep; i < newestFirst.size(); i++) {
            if (!isActive(newestFirst.get(i))) out.put(newestFirst.get(i), "keep_bases = " + keep);
        }
        return out;
    }

    /** Refuses to let an alias point at a copy whose restore never completed. */
    void refuseIncomplete(String name, String what) {
        if (!isIncomplete(name)) return;
        throw new PgStagingException("refusing to " + what + " " + name + ": its restore did not complete ("
                + incomplete.get(name) + ")", "restore that date again (pgstaging restore " + target.section().name() + " "
                + name.substring(name.length() - 8) + " replaces it), or drop it");
    }

    /** The copy {@code switch} points the alias at (default: the latest), refused when it is missing or incomplete. */
    String toSwitchTo(DateSpec spec) {
        String db = resolve(spec == null ? DateSpec.latest() : spec);
        refuseMissing(db, target);
        refuseIncomplete(db, "point " + target.section().dbname() + " at");
        return db;
    }

    /** The copy {@code drop} drops (default: the oldest), refused when it is the alias' copy. */
    String toDrop(DateSpec spec) {
        String db = resolve(spec == null ? DateSpec.oldest() : spec);
        refuseActive(db, "drop");
        return db;
    }

    /** The copy a date designates; fails with the existing copies as a hint. */
    String resolve(DateSpec spec) {
        String dbname = target.section().dbname();
        Optional<LocalDate> date = spec.resolve(byDate.keySet(), LocalDate.now());
        if (date.isEmpty()) {
            throw new PgStagingException("[" + target.section().name() + "] no dated copy of " + dbname + " exists",
                    "restore one first: pgstaging restore " + target.section().name());
        }
        String name = DatedDatabase.name(dbname, date.get());
        if (!byDate.containsKey(date.get())) {
            throw new PgStagingException("[" + target.section().name() + "] no database " + name,
                    byDate.isEmpty() ? "there are no copies yet" : "existing copies: " + String.join(", ", byDate.values()));
        }
        return name;
    }

    /** {@code date} when given, else the copy the alias points to. */
    String resolveOrActive(DateSpec spec) {
        if (spec != null) return resolve(spec);
        return active.orElseThrow(() -> new PgStagingException(
                "the alias " + target.section().dbname() + " does not point to a dated copy",
                "give a date, or switch the alias first (pgstaging switch " + target.section().name() + " DATE)"));
    }
}
