package org.pgstaging.job.model;

import java.time.Instant;

/**
 * A chat request acknowledged ("working…") and not answered yet, as kept in the state store until it
 * is: the words as the user typed them after the command, who typed them where, and where the
 * answer goes.
 *
 * @param key         what makes it the same request when Slack delivers it again (its trigger_id)
 * @param text        the words after the slash command, as typed
 * @param responseUrl Slack's response_url for the answer; null when the request came without one (a form)
 * @param receivedAt  when the bot received it
 * @param takeovers   how many times a replica took it over from one that stopped
 * @param threadTs    the thread of a reply in a job's thread ({@code text} is the reply), or of a clicked
 *                    message in a thread; null for a command
 */
public record HeldRequest(String key, String text, String userId, String channelId, String responseUrl,
                          Instant receivedAt, int takeovers, String threadTs) {

    /** A request just received, not taken over yet. */
    public static HeldRequest received(String key, String text, String userId, String channelId, String responseUrl,
                                       Instant at) {
        return new HeldRequest(key, text, userId, channelId, responseUrl, at, 0, null);
    }

    /**
     * A reply in a job's thread, or a button clicked on a job's message ({@code text}: the button's
     * action and the job it names), just received: answered beside that message, in the thread
     * {@code threadTs} when there is one, with no response_url.
     */
    public static HeldRequest beside(String key, String text, String userId, String channelId, String threadTs, Instant at) {
        return new HeldRequest(key, text, userId, channelId, null, at, 0, threadTs);
    }
}
