package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.SlackApiServer;

/** Posts through rate limits, Slack's own errors and refusals, against the loopback Web API. */
class PostQueueTest {
    /**
     * A call already on its way when another call's 429 came back is no fault of the bot's: on
     * loopback such a call arrives within a few milliseconds of the 429.
     */
    static final long IN_FLIGHT_MILLIS = 100;

    @RegisterExtension
    static final LoopbackSlack slack = new LoopbackSlack();

    /** A poster whose client honours {@code limits}, as the bot's does. */
    static SlackPoster poster(SlackApiServer api, ApiRateLimits limits) {
        SlackSettings s = LoopbackSlack.settings(api);
        WebApiInterceptor calls = new WebApiInterceptor(limits, null, new SlackHealth(Clock.systemUTC()));
        return new SlackPoster(SlackAppFactory.slack(s, calls).methods(s.botToken()));
    }

    static PostQueue queue() {
        ApiRateLimits limits = new ApiRateLimits(Clock.systemUTC());
        return new PostQueue(poster(slack.api, limits), limits, slack.scheduler, Clock.systemUTC(), null);
    }

    /** No call of a method answered 429 came before that answer's Retry-After was over (calls already in flight aside). */
    static void assertRetryAfterHonoured(List<SlackApiServer.Call> calls) {
        for (SlackApiServer.Call limited : calls) {
            if (!limited.rateLimited()) continue;
            long until = limited.atMillis() + limited.retryAfter() * 1000L;
            assertThat(calls).as("%s calls within the Retry-After of %s s answered at %d", limited.method(), limited.retryAfter(),
                            limited.atMillis())
                    .noneMatch(c -> c.method().equals(limited.method())
                            && c.atMillis() > limited.atMillis() + IN_FLIGHT_MILLIS && c.atMillis() < until);
        }
    }

    static String await(CompletableFuture<String> ts) throws Exception {
        return ts.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aChannelsMessagesArriveInOrderThroughARateLimit() throws Exception {
        PostQueue posts = queue();
        String thread = await(posts.post("C0ORDER", null, false, Messages.plain("request")));
        long from = System.currentTimeMillis();
        slack.api.rateLimitFor("chat.postMessage", Duration.ofSeconds(3));
        List<CompletableFuture<String>> sent = new ArrayList<>();
        for (int i = 1; i <= 5; i++) sent.add(posts.post("C0ORDER", thread, false, Messages.plain("reply " + i)));
        CompletableFuture<String> elsewhere = posts.post("C0ELSEWHERE", null, false, Messages.plain("other channel"));
        List<String> ts = new ArrayList<>();
        for (CompletableFuture<String> f : sent) ts.add(await(f));
        await(elsewhere);

        assertThat(ts).as("posted in the order given").isSorted();
        for (int i = 0; i < ts.size(); i++) {
            assertThat(slack.api.message("C0ORDER", ts.get(i)).get("text").getAsString()).isEqualTo("reply " + (i + 1));
        }
        List<SlackApiServer.Call> calls = slack.api.calls("chat.postMessage").stream().filter(c -> c.atMillis() >= from).toList();
        assertThat(calls).as("Slack did answer 429").anyMatch(SlackApiServer.Call::rateLimited);
        assertRetryAfterHonoured(calls);
        Gate.await("the queue to have nothing left to post", Duration.ofSeconds(5), posts::idle);
    }

    /** chat.postMessage's other rate limit: HTTP 200 {@code rate_limited}, no Retry-After: a second's pause, then again. */
    @Test
    void rateLimitedInTheBodyIsWaitedOutToo() throws Exception {
        PostQueue posts = queue();
        slack.api.failNext("chat.postMessage", "rate_limited");
        long from = System.currentTimeMillis();
        String ts = await(posts.post("C0BODYLIMIT", null, false, Messages.plain("eventually")));
        List<SlackApiServer.Call> tries = slack.api.calls("chat.postMessage").stream()
                .filter(c -> c.atMillis() >= from && "C0BODYLIMIT".equals(c.param("channel"))).toList();
        assertThat(tries).hasSize(2);
        assertThat(tries.get(1).atMillis() - tries.get(0).atMillis()).isGreaterThanOrEqualTo(1000);
        assertThat(slack.api.message("C0BODYLIMIT", ts).get("text").getAsString()).isEqualTo("eventually");
    }

    @Test
    void slacksOwnErrorsAreTriedAgainWithGrowingPauses() throws Exception {
        PostQueue posts = queue();
        slack.api.failNext("chat.postMessage", "internal_error", "service_unavailable");
        long from = System.currentTimeMillis();
        String ts = await(posts.post("C0FLAKY", null, false, Messages.plain("third time lucky")));
        List<SlackApiServer.Call> tries = slack.api.calls("chat.postMessage").stream()
                .filter(c -> c.atMillis() >= from && "C0FLAKY".equals(c.param("channel"))).toList();
        assertThat(tries).hasSize(3);
        assertThat(tries.get(1).atMillis() - tries.get(0).atMillis()).as("first pause: 0.5-1 s").isGreaterThanOrEqualTo(500);
        assertThat(tries.get(2).atMillis() - tries.get(1).atMillis()).as("second pause: 1-2 s").isGreaterThanOrEqualTo(1000);
        assertThat(slack.api.message("C0FLAKY", ts).get("text").getAsString()).isEqualTo("third time lucky");
    }

    /** A refusal is not tried again, and does not hold up the channel's next message. */
    @Test
    void aRefusedPostIsDroppedAndTheNextOneGoes() throws Exception {
        PostQueue posts = queue();
        slack.api.failNext("chat.postMessage", "not_in_channel");
        CompletableFuture<String> refused = posts.post("C0NOTIN", null, false, Messages.plain("refused"));
        CompletableFuture<String> next = posts.post("C0NOTIN", null, false, Messages.plain("next"));
        assertThat(slack.api.message("C0NOTIN", await(next)).get("text").getAsString()).isEqualTo("next");
        assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(SlackCallFailed.class).hasMessageContaining("not_in_channel");
        SlackCallFailed why = (SlackCallFailed) refused.handle((ts, e) -> e).get();
        assertThat(why.hint()).contains("/invite @pgstaging");
        assertThat(slack.api.calls("chat.postMessage").stream().filter(c -> "refused".equals(c.param("text")))).hasSize(1);
    }

    /** A message taken back while it waits (a request given up) is never posted. */
    @Test
    void aMessageCancelledWhileWaitingIsNotPosted() throws Exception {
        PostQueue posts = queue();
        slack.api.rateLimitFor("chat.postMessage", Duration.ofSeconds(3));
        CompletableFuture<String> first = posts.post("C0TAKEBACK", null, false, Messages.plain("kept"));
        CompletableFuture<String> second = posts.post("C0TAKEBACK", null, false, Messages.plain("taken back"));
        second.cancel(false);
        await(first);
        Gate.await("the queue to have nothing left to post", Duration.ofSeconds(5), posts::idle);
        assertThat(slack.api.calls("chat.postMessage")).noneMatch(c -> "taken back".equals(c.param("text")));
    }
}
