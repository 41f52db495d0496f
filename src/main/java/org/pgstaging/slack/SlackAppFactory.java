package org.pgstaging.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.response.Response;
import com.slack.api.util.http.SlackHttpClient;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
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

    /** A client of its own, honouring rate limits on its own (the bot's share theirs: {@link #slack(SlackSettings, Interceptor)}). */
    public static Slack slack(SlackSettings settings) {
        return slack(settings, new WebApiInterceptor(new ApiRateLimits(Clock.systemUTC()), null, null));
    }

    /** The same, with {@code calls} seeing every Web API call (a {@link WebApiInterceptor}). */
    static Slack slack(SlackSettings settings, Interceptor calls) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(settings.apiUrl());
        config.setProxyUrl(null);
        // Stats start a background thread per token and call auth.test; the bot does not read them.
        config.setStatsEnabled(false);
        config.setPrettyResponseLoggingEnabled(false);
        // At DEBUG it dumps every request and response body (messages, modals, response_urls) into the log.
        config.getHttpClientResponseHandlers().removeIf(h -> h instanceof DetailedLoggingListener);
        OkHttpClient http = SlackHttpClient.buildOkHttpClient(config).newBuilder().addInterceptor(calls).build();
        return Slack.getInstance(config, new SlackHttpClient(http));
    }

    /**
     * The App with strict request verification first; checks the bot token with auth.test on first
     * start. {@code calls} sees its Web API calls; {@code metrics} times Socket Mode acknowledgements.
     */
    static App create(SlackSettings settings, Clock clock, SlackMetrics metrics, WebApiInterceptor calls) {
        AppConfig appConfig = AppConfig.builder()
                .slack(slack(settings, calls))
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
        return new VerifiedApp(appConfig, strict, metrics);
    }

    /** Puts our verification in front of Bolt's default middleware (ssl_check, authorization, self events). */
    private static final class VerifiedApp extends App {
        private final Middleware first;
        private final SlackMetrics metrics;

        VerifiedApp(AppConfig config, Middleware first, SlackMetrics metrics) {
            super(config);
            this.first = first;
            this.metrics = metrics;
        }

        /**
         * Times Socket Mode requests here: Bolt sends the ack as soon as this returns, and its
         * socket client offers no hook of its own. HTTP requests are timed by {@link SlackHttpServer},
         * from their arrival to the response written.
         */
        @Override
        public Response run(Request req) throws Exception {
            if (!req.isSocketMode()) return super.run(req);
            long start = System.nanoTime();
            try {
                return super.run(req);
            } finally {
                metrics.acknowledged(true, System.nanoTime() - start);
            }
        }

        @Override
        protected List<Middleware> buildDefaultMiddlewareList(AppConfig config) {
            List<Middleware> list = super.buildDefaultMiddlewareList(config);
            if (first != null) list.add(0, first);
            return list;
        }
    }
}
