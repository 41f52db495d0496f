package org.pgstaging.job;

import java.util.List;

/** Size, table count and largest tables of one dated copy, to compare a new copy with the current one. */
public record CopyStats(String database, long bytes, long tables, List<LargeTable> largest) {
    public record LargeTable(String schema, String name, long rowEstimate, long bytes) { }
}
