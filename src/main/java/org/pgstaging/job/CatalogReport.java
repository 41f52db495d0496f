package org.pgstaging.job;

import java.util.List;

/** What the catalog filter did: counts and what it left out, for the console and the approval card. */
public record CatalogReport(int entries, int kept, List<String> excludedSchemas,
                            List<String> nodataTables, List<String> droppedTriggers) {
}
