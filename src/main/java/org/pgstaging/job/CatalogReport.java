package org.pgstaging.job;

import java.util.List;
import org.pgstaging.catalog.FilterSummary;
import org.pgstaging.restore.CatalogPreparer;

/**
 * What the catalog filter did: counts and what it left out, for the console and the approval card.
 *
 * @param dependencyDrops entries left out for what they need ({@code CAST ... needs TYPE gone.t})
 * @param conflicts       kept entries holding data that need a left-out one: a restore refuses them
 * @param summary         the one line a restore prints before pg_restore starts
 */
public record CatalogReport(int entries, int kept, List<String> excludedSchemas, List<String> nodataTables,
                            List<String> droppedTriggers, List<String> dependencyDrops, List<String> conflicts,
                            String summary) {

    public CatalogReport {
        excludedSchemas = List.copyOf(excludedSchemas);
        nodataTables = List.copyOf(nodataTables);
        droppedTriggers = List.copyOf(droppedTriggers);
        dependencyDrops = List.copyOf(dependencyDrops);
        conflicts = List.copyOf(conflicts);
    }

    static CatalogReport of(FilterSummary f) {
        return new CatalogReport(f.total(), f.kept(), f.excludedSchemas(), f.nodataTables(), f.droppedTriggers(),
                f.dependencyDrops(), f.conflicts(), CatalogPreparer.describe(f));
    }
}
