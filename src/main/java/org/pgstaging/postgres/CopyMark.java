package org.pgstaging.postgres;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Whether a dated copy is complete, written where it survives any crash of the process that made
 * it: the database's own comment. A restore marks its copy incomplete right after CREATE DATABASE
 * and complete once everything but pgbouncer is done; a copy whose comment still says incomplete
 * was left by a restore that died (or failed with keep_failed), and no switch may point an alias
 * at it. Copies without a pgstaging comment (made by pg_staging, by hand, or by createdb) count as
 * complete.
 */
public final class CopyMark {
    static final String INCOMPLETE = "pgstaging: incomplete";
    static final String COMPLETE = "pgstaging: restored";
    /** What a copy created but not yet marked says (it refuses connections until marked). */
    static final String UNMARKED = INCOMPLETE + " (created; its restore stopped before marking it)";

    private CopyMark() {}

    /** The comment of a copy being restored from {@code source}. */
    public static String incomplete(String source, String by) {
        return INCOMPLETE + " (restore of " + source + " started " + now() + " by " + by + ")";
    }

    /** The comment of a copy whose restore from {@code source} is complete. */
    public static String complete(String source) {
        // to the millisecond: recovery tells a copy its dead run completed from one made just before it
        return COMPLETE + " from " + source + " at " + Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** When the restore a database's comment (null: none) tells of completed; empty when it does not say. */
    public static java.util.Optional<Instant> completedAt(String comment) {
        if (comment == null || !comment.startsWith(COMPLETE)) return java.util.Optional.empty();
        int at = comment.lastIndexOf(" at ");
        try {
            return java.util.Optional.of(Instant.parse(comment.substring(at + 4).strip()));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Whether a database's comment (null: none) says its restore never completed. */
    public static boolean isIncomplete(String comment) {
        return comment != null && comment.startsWith(INCOMPLETE);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
