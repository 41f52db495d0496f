package org.pgstaging.job;

import java.util.List;

/**
 * The fresh copy next to the one it replaces, for the completion message. When the restore switched
 * the alias already ({@code switched}), {@code other} is the copy the alias pointed to before, so the
 * message can offer to switch back; otherwise it is the current target. {@code other} is null when
 * there was none.
 */
public record CopyComparison(String alias, DbStats fresh, DbStats other, boolean switched) {

    public record DbStats(String database, long bytes, int tables, List<TableEstimate> largestTables) { }

    /** Row count from pg_class.reltuples (an estimate, fresh after the restore's ANALYZE). */
    public record TableEstimate(String table, long rows, long bytes) { }
}
