package org.pgstaging.slack;

import org.pgstaging.backup.DateSpec;

/**
 * What a requester asked for in Slack; the backend validates it before queueing anything.
 * {@code date} is null for vacuumdb without a date, meaning the copy the alias points to.
 */
public record JobRequest(JobKind kind, String section, DateSpec date, String requesterId, String channelId) {
}
