package org.pgstaging.catalog;

import java.util.List;

/**
 * What a catalog filter did. Lists hold at most {@link #CAP} items each; the {@code more...} counts say
 * how many were left off, so memory stays bounded whatever the catalog size.
 *
 * @param total               entries read
 * @param kept                entries left active in the list
 * @param excludedSchemas     schemas filtered out, in order of first sight
 * @param nodataTables        {@code schema.table} whose data is not restored
 * @param droppedTriggers     {@code schema.table.trigger -> schema.function} for triggers removed because
 *                            their function lives in a filtered-out schema
 * @param dependencyDrops     entries of kept schemas left out because they need an entry that is left out,
 *                            as {@code DESC name needs DESC name} (a cast of a left-out type, an event
 *                            trigger calling a left-out function, a view of a left-out table...); archive input only
 * @param conflicts           kept entries holding data that need an entry left out, as
 *                            {@code DESC name needs DESC name (schema s is not restored)}: pg_restore would fail
 *                            on them, so a restore refuses before creating anything
 * @param conflictSchemas     the left-out schemas the conflicts come from: what to add to {@code schemas}
 * @param moreExcludedSchemas excluded schemas beyond the cap
 * @param moreNodataTables    nodata tables beyond the cap
 * @param moreDroppedTriggers dropped triggers beyond the cap
 * @param moreDependencyDrops dependency drops beyond the cap
 * @param moreConflicts       conflicts beyond the cap
 */
public record FilterSummary(int total, int kept, List<String> excludedSchemas, List<String> nodataTables,
                            List<String> droppedTriggers, List<String> dependencyDrops, List<String> conflicts,
                            List<String> conflictSchemas, int moreExcludedSchemas, int moreNodataTables,
                            int moreDroppedTriggers, int moreDependencyDrops, int moreConflicts) {

    /** Most names kept per list. */
    public static final int CAP = 1000;

    public FilterSummary {
        excludedSchemas = List.copyOf(excludedSchemas);
        nodataTables = List.copyOf(nodataTables);
        droppedTriggers = List.copyOf(droppedTriggers);
        dependencyDrops = List.copyOf(dependencyDrops);
        conflicts = List.copyOf(conflicts);
        conflictSchemas = List.copyOf(conflictSchemas);
    }

    /** Entries turned into comments. */
    public int filteredOut() {
        return total - kept;
    }

    /** Whether a restore with this list would fail on a kept entry needing one left out. */
    public boolean hasConflicts() {
        return !conflicts.isEmpty();
    }
}
