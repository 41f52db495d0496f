package org.pgstaging.job;

import java.util.List;

/**
 * What became of a confirmed change (switch, drop, purge, asked with a button): done at once when
 * its server was free, else queued as a job behind what holds the server, the confirmation being
 * its approval. Nothing confirmed is lost to a busy server, and it shows in the queue.
 *
 * @param databases the copies changed (switched to, dropped) when done at once; empty when queued
 * @param queued    the job it became when the server was busy, else null
 * @param busyWith  what held the server then ({@code restore foodb.dev latest (alice@host (console), since ...)})
 */
public record Confirmed(List<String> databases, JobView queued, String busyWith) {

    public Confirmed {
        databases = List.copyOf(databases);
    }

    static Confirmed done(List<String> databases) {
        return new Confirmed(databases, null, null);
    }

    static Confirmed queued(JobView job, String busyWith) {
        return new Confirmed(List.of(), job, busyWith);
    }

    public boolean isQueued() {
        return queued != null;
    }
}
