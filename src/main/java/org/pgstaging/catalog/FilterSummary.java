package org.pgstaging.catalog;

import java.util.List;

/**
 * What a catalog filter did. Lists hold at most {@link #CAP} items each; the {@code more...} counts say
 * how many were left off, so memory stays bounded whatever the catalog size.
 *
 * @param total                 entries read
 * @param kept                  entries left active in the list
 * @param excludedSchemas       schemas filtered out, in order of first sight
 * @param nodataTables          {@code schema.table} whose data is not restored
 * @param droppedTriggers       {@code schema.table.trigger -> schema.function} for triggers removed because
 *                              their function lives in a filtered-out schema
 * @param brokenDependencies    kept entries that depend on a filtered-out object, as
 *                              {@code DESC schema.tag -> DESC schema.tag}: pg_restore will fail on them
 *                              (e.g. a view of a kept schema reading a table of a dropped one); archive input only
 * @param moreExcludedSchemas   excluded schemas beyond the cap
 * @param moreNodataTables      nodata tables beyond the cap
 * @param moreDroppedTriggers   dropped triggers beyond the cap
 * @param moreBrokenDependencies broken dependencies beyond the cap
 */
public record FilterSummary(int total, int kept, List<String> excludedSchemas, List<String> nodataTables,
                            List<String> droppedTriggers, List<String> brokenDependencies,
                            int moreExcludedSchemas, int moreNodataTables, int moreDroppedTriggers,
                            int moreBrokenDependencies) {

    /** Most names kept per list. */
    public static final int CAP = 1000;

    public FilterSummary {
        excludedSchemas = List.copyOf(excludedSchemas);
        nodataTables = List.copyOf(nodataTables);
        droppedTriggers = List.copyOf(droppedTriggers);
        brokenDependencies = List.copyOf(brokenDependencies);
    }

    /** Entries turned into comments. */
    public int filteredOut() {
        return total - kept;
    }
}
