package org.pgstaging.postgres;

import java.util.List;

/** Table count and the largest tables of a database, for comparing a new copy with the current one. */
public record TableStats(long tableCount, List<Table> largest) {
    public record Table(String schema, String name, long rowEstimate, long bytes) { }
}
