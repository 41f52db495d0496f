package org.pgstaging.job.model;

/**
 * Where a chat face posted a job's messages: the request message (its ts is the job's thread), the
 * approval card, which may sit in another channel, and the completion notice. Null: not posted.
 */
public record JobMessages(String channel, String ts, String cardChannel, String cardTs, String completionTs) {
    public JobMessages withCard(String c, String t) {
        return new JobMessages(channel, ts, c, t, completionTs);
    }

    public JobMessages withCompletion(String t) {
        return new JobMessages(channel, ts, cardChannel, cardTs, t);
    }
}
