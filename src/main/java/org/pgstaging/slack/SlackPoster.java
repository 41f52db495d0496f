package org.pgstaging.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import java.io.IOException;
import org.pgstaging.PgStagingException;

/** The few Web API writes the bot makes, with Slack's error codes turned into errors people can act on. */
public final class SlackPoster {
    private final MethodsClient client;

    public SlackPoster(MethodsClient client) {
        this.client = client;
    }

    public MethodsClient client() {
        return client;
    }

    /** Posts in a channel, or in a thread when {@code threadTs} is set; returns the new message's ts. */
    public String post(String channel, String threadTs, boolean broadcast, Rendered m) {
        try {
            ChatPostMessageResponse r = client.chatPostMessage(q -> q.channel(channel).threadTs(threadTs)
                    .replyBroadcast(threadTs != null && broadcast)
                    .text(m.text()).blocks(m.blocks()).unfurlLinks(false).unfurlMedia(false));
            if (!r.isOk()) throw failed("chat.postMessage", r.getError(), channel);
            return r.getTs();
        } catch (IOException | SlackApiException e) {
            throw new PgStagingException("cannot post to Slack: " + e.getMessage(), "check that Slack is reachable", e);
        }
    }

    /** Used by {@link MessageThrottle}, which handles rate limits itself. */
    public void update(String channel, String ts, Rendered m) throws IOException, SlackApiException {
        ChatUpdateResponse r = client.chatUpdate(q -> q.channel(channel).ts(ts).text(m.text()).blocks(m.blocks()));
        if (!r.isOk()) throw failed("chat.update", r.getError(), channel);
    }

    public void ephemeral(String channel, String threadTs, String user, Rendered m) {
        try {
            var r = client.chatPostEphemeral(q -> q.channel(channel).user(user).threadTs(threadTs).text(m.text()).blocks(m.blocks()));
            if (!r.isOk()) throw failed("chat.postEphemeral", r.getError(), channel);
        } catch (IOException | SlackApiException e) {
            throw new PgStagingException("cannot post to Slack: " + e.getMessage(), "check that Slack is reachable", e);
        }
    }

    private static PgStagingException failed(String method, String error, String channel) {
        String hint = switch (error == null ? "" : error) {
            case "not_in_channel", "channel_not_found" -> "invite the pgstaging app to <#" + channel + "> (/invite @pgstaging)";
            case "invalid_auth", "not_authed", "token_revoked", "account_inactive" -> "check bot_token in [slack]";
            case "missing_scope" -> "reinstall the app with the scopes of manifests/slack-app-manifest-*.yaml";
            case "msg_too_long", "invalid_blocks" -> "this is a pgstaging bug: please report it with the command you ran";
            default -> null;
        };
        return new PgStagingException(method + " failed: " + error, hint);
    }
}
