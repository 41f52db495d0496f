package org.pgstaging.job.store;

import java.time.Instant;

/** One line of the audit trail: who did what, when, to which job or section. */
public record HistoryEntry(long id, Instant at, String actor, HistoryAction action, Long jobId, String section,
                           String detail) {
}
