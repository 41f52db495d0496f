package org.pgstaging.slack;

import java.util.Optional;
import org.pgstaging.job.JobPolicy;

/**
 * The bot's side of who may do what: which channels it answers in; the rest is the job layer's
 * {@link JobPolicy} (which also enforces it), asked here first so a refusal comes before a dialog.
 */
public final class AccessPolicy {
    private final SlackSettings settings;
    private final JobPolicy policy;

    public AccessPolicy(SlackSettings settings, JobPolicy policy) {
        this.settings = settings;
        this.policy = policy;
    }

    /** Empty when the bot may answer in this channel, else the refusal (mrkdwn, as all of these). */
    public Optional<String> refuseChannel(String channelId) {
        if (settings.channels().isEmpty() || settings.channels().contains(channelId)) return Optional.empty();
        return Optional.of("pgstaging does not take requests in this channel. Use "
                + String.join(", ", settings.channels().stream().map(c -> "<#" + Mrkdwn.escape(c) + ">").toList()) + ".");
    }

    /** Empty when {@code userId} may ask for work (see {@link JobPolicy#refuseRequester}). */
    public Optional<String> refuseRequester(String userId) {
        return policy.refuseRequester(userId).map(Mrkdwn::escape);
    }

    /** Empty when {@code userId} may approve or deny a job requested by {@code requesterId}. */
    public Optional<String> refuseApprover(String userId, String requesterId) {
        return policy.refuseApprover(userId, requesterId).map(Mrkdwn::escape);
    }

    /** Empty when {@code userId} may cancel a job requested by {@code requesterId}. */
    public Optional<String> refuseCanceller(String userId, String requesterId) {
        return policy.refuseCanceller(userId, requesterId).map(Mrkdwn::escape);
    }

    /** Loads the members of every configured group, so the first request is answered from the cache. */
    public void warmUp() {
        policy.warmUp();
    }
}
