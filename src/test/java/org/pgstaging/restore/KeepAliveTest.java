package org.pgstaging.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeepAliveTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aPingIsDueEveryPeriodHoweverBusyTheServerIs() {
        KeepAlive k = new KeepAlive(10 * S, 0);
        long step = 300_000_000L;
        long last = 0;
        int pings = 0;
        // a restore sending a line every 300 ms for two minutes: the console still pings every 10 s
        for (long now = 0; now <= 120 * S; now += step) {
            if (k.due(now)) {
                assertThat(now - last).isBetween(10 * S, 10 * S + step);
                last = now;
                pings++;
            }
        }
        assertThat(pings).isEqualTo(11);
    }

    @Test
    void theWaitEndsWhenTheNextPingIsDue() {
        KeepAlive k = new KeepAlive(10 * S, 0);
        assertThat(k.waitNanos(3 * S)).isEqualTo(7 * S);
        assertThat(k.waitNanos(12 * S)).isZero();
        assertThat(k.due(12 * S)).isTrue();
        assertThat(k.waitNanos(12 * S)).isEqualTo(10 * S);
        assertThat(k.due(13 * S)).isFalse();
    }
}
