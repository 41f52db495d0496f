package org.pgstaging.job.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * Life cycle of a job. INTERRUPTED is not final: the process died while the job ran, and the
 * queue re-queues it once after cleanup (or ends it DONE when the dead run had finished its work); the other non-active states are final (a retry makes a new job).
 */
public enum JobState {
    AWAITING_APPROVAL, QUEUED, RUNNING, DONE, FAILED, DENIED, CANCELLED, INTERRUPTED;

    private Set<JobState> next() {
        return switch (this) {
            case AWAITING_APPROVAL -> EnumSet.of(QUEUED, DENIED, CANCELLED);
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED);
            case RUNNING -> EnumSet.of(DONE, FAILED, CANCELLED, INTERRUPTED);
            case INTERRUPTED -> EnumSet.of(QUEUED, CANCELLED, DONE);
            default -> EnumSet.noneOf(JobState.class);
        };
    }

    public boolean canMoveTo(JobState target) {
        return next().contains(target);
    }

    /** States from which {@code target} can be reached, for error hints. */
    public static Set<JobState> sourcesOf(JobState target) {
        Set<JobState> from = EnumSet.noneOf(JobState.class);
        for (JobState s : values()) {
            if (s.canMoveTo(target)) from.add(s);
        }
        return from;
    }

    /** Nothing will happen to the job any more (a retry creates another job). */
    public boolean isFinal() {
        return next().isEmpty();
    }

    /** Waiting for approval, waiting its turn, or running. */
    public boolean isPending() {
        return this == AWAITING_APPROVAL || this == QUEUED || this == RUNNING;
    }

    /** States a person may retry. */
    public boolean isRetryable() {
        return this == FAILED || this == CANCELLED || this == INTERRUPTED;
    }
}
