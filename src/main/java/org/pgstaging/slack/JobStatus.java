package org.pgstaging.slack;

/** Where a job is in its life, as the bot shows it. The queue adapter maps its own states onto these. */
public enum JobStatus {
    AWAITING_APPROVAL, QUEUED, RUNNING, DONE, FAILED, DENIED, CANCELLED;

    /** No further change will come: the message gets its final form and no more buttons but Retry/Switch. */
    public boolean finished() {
        return this == DONE || this == FAILED || this == DENIED || this == CANCELLED;
    }
}
