package org.pgstaging.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.model.view.View;
import java.io.IOException;

/**
 * The few Web API writes the bot makes, one try each, with Slack's error codes turned into errors
 * people can act on and that say whether a retry can help ({@link SlackCallFailed}): retrying is
 * the {@link PostQueue}'s and the {@link MessageThrottle}'s business.
 */
public final class SlackPoster {
    private static final String RATE_LIMITED_HINT = "Slack is rate limiting the bot: try again in a minute";
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
            throw unanswered("chat.postMessage", "cannot post to Slack", e);
        }
    }

    /** Edits a message the bot posted (through {@link MessageThrottle}, which paces and retries edits). */
    public void update(String channel, String ts, Rendered m) {
        try {
            ChatUpdateResponse r = client.chatUpdate(q -> q.channel(channel).ts(ts).text(m.text()).blocks(m.blocks()));
            if (!r.isOk()) throw failed("chat.update", r.getError(), channel);
        } catch (IOException | SlackApiException e) {
            throw unanswered("chat.update", "cannot edit a Slack message", e);
        }
    }

    public void ephemeral(String channel, String threadTs, String user, Rendered m) {
        try {
            var r = client.chatPostEphemeral(q -> q.channel(channel).user(user).threadTs(threadTs).text(m.text()).blocks(m.blocks()));
            if (!r.isOk()) throw failed("chat.postEphemeral", r.getError(), channel);
        } catch (IOException | SlackApiException e) {
            throw unanswered("chat.postEphemeral", "cannot post to Slack", e);
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
            throw unanswered(method, failure, e);
        }
    }


    /** No answer (network), or one the SDK throws (HTTP 429, 5xx...). */
    private static SlackCallFailed unanswered(String method, String what, Exception e) {
        ApiAnswer.Retry retry = e instanceof SlackApiException s
                ? ApiAnswer.retry(s.getResponse().code(), s.getError() == null ? null : s.getError().getError())
                : ApiAnswer.Retry.LATER;
        return new SlackCallFailed(method, retry, what + ": " + e.getMessage(),
                retry == ApiAnswer.Retry.RATE_LIMITED ? RATE_LIMITED_HINT : "check that Slack is reachable", e);
    }

    private static SlackCallFailed failed(String method, String error, String channel) {
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
        ApiAnswer.Retry retry = ApiAnswer.retry(200, error);
        if (hint == null && retry == ApiAnswer.Retry.RATE_LIMITED) hint = RATE_LIMITED_HINT;
        return new SlackCallFailed(method, retry, method + " failed: " + error, hint, null);
    }
}
