package org.pgstaging.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.util.http.listener.DetailedLoggingListener;
import java.time.Clock;
import java.util.List;

/**
 * Builds the Bolt {@link App} from {@link SlackSettings} only: every value is passed explicitly so
 * nothing is read from the environment behind our back, the Web API base URL is configurable (tests
 * point it at a loopback server) and the proxy that {@link SlackConfig} would pick up from
 * {@code HTTPS_PROXY}/{@code http.proxyHost} (ignoring NO_PROXY) is not used.
 */
public final class SlackAppFactory {
    private SlackAppFactory() {}

    public static Slack slack(SlackSettings settings) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(settings.apiUrl());
        config.setProxyUrl(null);
        // Stats start a background thread per token and call auth.test; the bot does not read them.
        config.setStatsEnabled(false);
        config.setPrettyResponseLoggingEnabled(false);
        // At DEBUG it dumps every request and response body (messages, modals, response_urls) into the log.
        config.getHttpClientResponseHandlers().removeIf(h -> h instanceof DetailedLoggingListener);
        return Slack.getInstance(config);
    }

    /** The App with strict request verification first; checks the bot token with auth.test on first start. */
    public static App create(SlackSettings settings, Clock clock) {
        AppConfig appConfig = AppConfig.builder()
                .slack(slack(settings))
                .singleTeamBotToken(settings.botToken())
                .signingSecret(settings.signingSecret())
                .verificationToken(null)
                .clientId(null).clientSecret(null).redirectUri(null).scope(null).userScope(null)
                // Our middleware replaces Bolt's verification (one-way timestamp check, platform charset).
                .requestVerificationEnabled(false)
                .subtypedMessageEventsAutoAckEnabled(true)
                .build();
        Middleware strict = settings.signingSecret() == null ? null
                : new StrictRequestVerification(settings.signingSecret(), clock);
        if (settings.mode() == SlackSettings.Mode.HTTP && strict == null) {
            throw new IllegalStateException("http mode without signing secret"); // SlackSettings already refuses this
        }
        return new VerifiedApp(appConfig, strict);
    }

    /** Puts our verification in front of Bolt's default middleware (ssl_check, authorization, self events). */
    private static final class VerifiedApp extends App {
        private final Middleware first;

        VerifiedApp(AppConfig config, Middleware first) {
            super(config);
            this.first = first;
        }

        @Override
        protected List<Middleware> buildDefaultMiddlewareList(AppConfig config) {
            List<Middleware> list = super.buildDefaultMiddlewareList(config);
            if (first != null) list.add(0, first);
            return list;
        }
    }
}
