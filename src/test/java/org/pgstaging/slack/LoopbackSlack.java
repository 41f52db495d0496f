package org.pgstaging.slack;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pgstaging.testkit.SlackApiServer;

/**
 * A loopback Slack Web API, the bot's {@link SlackPoster} to it (Bolt's own client) and a scheduler
 * for retries and throttles, for the tests of one class:
 * {@code @RegisterExtension static final LoopbackSlack slack = new LoopbackSlack();}.
 */
final class LoopbackSlack implements BeforeAllCallback, AfterAllCallback {
    SlackApiServer api;
    SlackPoster poster;
    ScheduledExecutorService scheduler;

    @Override
    public void beforeAll(ExtensionContext context) {
        api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, "xapp-unused");
        poster = poster(api);
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        scheduler.shutdownNow();
        api.close();
    }

    static SlackPoster poster(SlackApiServer api) {
        SlackSettings s = settings(api);
        return new SlackPoster(SlackAppFactory.slack(s).methods(s.botToken()));
    }

    /** The bot's settings toward {@code api}. */
    static SlackSettings settings(SlackApiServer api) {
        return new SlackSettings(Map.of("bot_token", SlackHttpBotTest.BOT_TOKEN, "mode", "http",
                "signing_secret", SlackHttpBotTest.SECRET, "approvers", "U0CAROL", "api_url", api.apiUrl()), Map.of());
    }
}
