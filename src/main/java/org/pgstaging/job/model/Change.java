package org.pgstaging.job.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One change of a database server as the {@code ChangeLog} keeps it, whoever made it.
 *
 * @param by         who started it: {@code user@host (console)}, or the Slack user for the bot
 * @param approvedBy who approved it (bot jobs), null otherwise
 * @param database   the copy it made or acted on, when known
 * @param steps      how long each step took, in the order they ended
 */
public record Change(long id, String kind, String section, String date, String database, String server, String by,
                     String approvedBy, Instant started, Instant finished, Outcome outcome, String error, String hint,
                     String cleanup, Long dumpBytes, List<StepTime> steps) {

    /** How a change ended; RUNNING until it does, DIED when its process ended without saying. */
    public enum Outcome {
        RUNNING, DONE, FAILED, CANCELLED, DIED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One step and how long it took. */
    public record StepTime(String step, long millis) { }

    /** Wall time of an ended change. */
    public Duration duration() {
        return finished == null ? null : Duration.between(started, finished);
    }
}
