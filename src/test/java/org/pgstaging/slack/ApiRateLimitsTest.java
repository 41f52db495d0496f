package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When each Web API method may be called next: Retry-After closures and the tiers' pace, on a clock moved by hand. */
class ApiRateLimitsTest {
    final JobMessengerTest.MovableClock clock = new JobMessengerTest.MovableClock();
    final ApiRateLimits limits = new ApiRateLimits(clock);

    @Test
    void aRetryAfterClosesTheWholeMethodUntilItIsOver() {
        limits.limited("chat.postMessage", Duration.ofSeconds(30));
        assertThat(limits.waitMillis("chat.postMessage", "C0123ABCD")).isEqualTo(30_000);
        assertThat(limits.waitMillis("chat.postMessage", "C0456EFGH")).as("a 429 does not say which limit: every channel waits")
                .isEqualTo(30_000);
        assertThat(limits.waitMillis("chat.update", null)).as("other methods go on").isZero();
        clock.now = clock.now.plusSeconds(20);
        assertThat(limits.waitMillis("chat.postMessage", "C0123ABCD")).isEqualTo(10_000);
        limits.limited("chat.postMessage", Duration.ofSeconds(5));
        assertThat(limits.waitMillis("chat.postMessage", "C0123ABCD")).as("a shorter Retry-After does not shorten the wait")
                .isEqualTo(10_000);
        clock.now = clock.now.plusSeconds(10);
        assertThat(limits.waitMillis("chat.postMessage", "C0123ABCD")).isZero();
    }

    @Test
    void chatUpdateIsPacedToFiftyAMinute() {
        for (int i = 0; i < 50; i++) {
            assertThat(limits.reserve("chat.update", null, 0)).isZero();
            clock.now = clock.now.plusMillis(100);
        }
        // the first of the 50 was 5 s ago: the 51st waits until it is a minute old
        assertThat(limits.waitMillis("chat.update", null)).isEqualTo(55_000);
        assertThat(limits.reserve("chat.update", null, 2_000)).as("too long a wait books nothing").isEqualTo(55_000);
        clock.now = clock.now.plusSeconds(55);
        assertThat(limits.waitMillis("chat.update", null)).isZero();
        assertThat(limits.reserve("chat.update", null, 0)).isZero();
        assertThat(limits.waitMillis("chat.update", null)).as("the second of the 50 is a minute old 100 ms later").isEqualTo(100);
    }

    @Test
    void chatPostMessageIsPacedPerChannel() {
        for (int i = 0; i < 60; i++) limits.reserve("chat.postMessage", "C0123ABCD", 0);
        assertThat(limits.waitMillis("chat.postMessage", "C0123ABCD")).isEqualTo(60_000);
        assertThat(limits.waitMillis("chat.postMessage", "C0456EFGH")).isZero();
    }

    @Test
    void aBookedCallCountsFromWhenItWillBeMade() {
        limits.limited("views.publish", Duration.ofSeconds(1));
        assertThat(limits.reserve("views.publish", null, 2_000)).isEqualTo(1_000);
        for (int i = 1; i < 100; i++) limits.reserve("views.publish", null, 2_000);
        // 100 calls a minute (Tier 4), all booked for 1 s from now: the next one a minute after that
        assertThat(limits.waitMillis("views.publish", null)).isEqualTo(61_000);
    }

    @Test
    void appsConnectionsOpenIsLeftToRetryAfterAlone() {
        for (int i = 0; i < 10; i++) assertThat(limits.reserve("apps.connections.open", null, 0)).isZero();
        limits.limited("apps.connections.open", Duration.ofSeconds(7));
        assertThat(limits.waitMillis("apps.connections.open", null)).isEqualTo(7_000);
    }
}
