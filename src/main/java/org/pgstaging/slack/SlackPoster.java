package org.pgstaging.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.model.view.View;
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

    /** Opens a modal with the trigger_id of the click or shortcut (usable for 3 s); returns the view's id. */
    public String openView(String triggerId, View view) {
        return views("views.open", "cannot open the dialog", () -> client.viewsOpen(q -> q.triggerId(triggerId).view(view)))
                .getView().getId();
    }

    /** Replaces an open modal's content (its inputs keep what the user entered where block and action ids stay). */
    public void updateView(String viewId, View view) {
        views("views.update", "cannot update the dialog", () -> client.viewsUpdate(q -> q.viewId(viewId).view(view)));
    }

    /** Shows {@code view} as {@code userId}'s Home tab of the app. */
    public void publishHome(String userId, View view) {
        views("views.publish", "cannot publish the Home tab", () -> client.viewsPublish(q -> q.userId(userId).view(view)));
    }

    @FunctionalInterface
    private interface ViewsCall<R extends SlackApiTextResponse> {
        R call() throws IOException, SlackApiException;
    }

    private static <R extends SlackApiTextResponse> R views(String method, String failure, ViewsCall<R> call) {
        try {
            R r = call.call();
            if (!r.isOk()) throw failed(method, r.getError(), null);
            return r;
        } catch (IOException | SlackApiException e) {
            throw new PgStagingException(failure + ": " + e.getMessage(), "check that Slack is reachable", e);
        }
    }

    private static PgStagingException failed(String method, String error, String channel) {
        String hint = switch (error == null ? "" : error) {
            case "not_in_channel", "channel_not_found" -> "invite the pgstaging app to <#" + channel + "> (/invite @pgstaging)";
            case "invalid_auth", "not_authed", "token_revoked", "account_inactive" -> "check bot_token in [slack]";
            case "missing_scope" -> "reinstall the app with the scopes of manifests/slack-app-manifest-*.yaml";
            case "msg_too_long", "invalid_blocks", "invalid_arguments", "view_too_large" ->
                    "this is a pgstaging bug: please report it with the command you ran";
            case "expired_trigger_id", "exchanged_trigger_id" -> "Slack waited too long for the dialog: try again";
            case "not_enabled" -> "enable the Home tab of the app (features > app_home > home_tab_enabled in the manifest)";
            default -> null;
        };
        return new PgStagingException(method + " failed: " + error, hint);
    }
}
