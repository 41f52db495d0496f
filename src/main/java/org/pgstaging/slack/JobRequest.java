package org.pgstaging.slack;

import org.pgstaging.backup.DateSpec;

/** What a requester asked for in Slack; the backend validates it before queueing anything. */
public record JobRequest(JobKind kind, String section, DateSpec date, String requesterId, String channelId) {
}
