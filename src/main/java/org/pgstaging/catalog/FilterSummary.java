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
 * @param moreExcludedSchemas   excluded schemas beyond the cap
 * @param moreNodataTables      nodata tables beyond the cap
 * @param moreDroppedTriggers   dropped triggers beyond the cap
 */
public record FilterSummary(int total, int kept, List<String> excludedSchemas, List<String> nodataTables,
                            List<String> droppedTriggers, int moreExcludedSchemas, int moreNodataTables,
                            int moreDroppedTriggers) {

    /** Most names kept per list. */
    public static final int CAP = 1000;

    public FilterSummary {
        excludedSchemas = List.copyOf(excludedSchemas);
        nodataTables = List.copyOf(nodataTables);
        droppedTriggers = List.copyOf(droppedTriggers);
    }

    /** Entries turned into comments. */
    public int filteredOut() {
        return total - kept;
    }
}
