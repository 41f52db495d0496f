package org.pgstaging.job;

import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.model.JobKind;

/**
 * What a requester asks the queue for; {@link JobService#submit} validates it before anything is
 * stored. {@code date} is null for vacuumdb without a date, meaning the copy the alias points to.
 *
 * @param requester  who asks: a Slack user id, or {@code user@host} for a console
 * @param channel    where the request was made (a Slack channel id), null when nowhere in particular
 * @param requestKey the chat request it comes from ({@link org.pgstaging.job.model.HeldRequest#key}):
 *                   submitted again with the same key, it gives the job made the first time; null for none
 */
public record JobSubmission(JobKind kind, String section, DateSpec date, String requester, String channel,
                            String requestKey) {

    public JobSubmission(JobKind kind, String section, DateSpec date, String requester, String channel) {
        this(kind, section, date, requester, channel, null);
    }
}
