package org.pgstaging.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pgstaging.PgStagingException;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.PostgresServer;

/** The per-server lock on a real PostgreSQL: exclusive, first come first served, says who holds it, dies with its holder. */
class ServerLockTest {
    private static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(30);
    private final PostgresServer pg = PostgresServer.shared();
    private final ServerLock lock = new ServerLock(new PostgresServerAddress(pg.host(), pg.port(), pg.superuser()), "postgres");

    @Test
    void aBusyServerSaysWhoHoldsItWhenTheCallerWillNotWait() {
        try (ServerLock.Held held = lock.take("restore foodb.dev 2026-11-24 */ DROP", "alice@console1 (console)", false, (h, a) -> { })) {
            assertThatThrownBy(() -> lock.take("switch foodb.dev latest", "bob", true, (h, a) -> { }))
                    .isInstanceOfSatisfying(ServerBusyException.class, e -> {
                        assertThat(e.getMessage()).contains("is busy: restore foodb.dev 2026-11-24 */ DROP (alice@console1 (console), since");
                        assertThat(e.holder().granted()).isTrue();
                    });
            assertThat(lock.queue()).singleElement().satisfies(h -> assertThat(h.by()).isEqualTo("alice@console1 (console)"));
        }
        assertThat(lock.queue()).isEmpty();
        try (ServerLock.Held again = lock.take("switch foodb.dev latest", "bob", true, (h, a) -> { })) {
            assertThat(lock.queue()).singleElement().satisfies(h -> assertThat(h.what()).isEqualTo("switch foodb.dev latest"));
        }
    }

    @Test
    void waitersAreServedInTheOrderTheyCameAndHearWhoTheyWaitFor() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        ServerLock.Held first = lock.take("restore a.dev", "alice", false, (h, a) -> { });
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (String who : List.of("bob", "carol")) {
            waiters.add(CompletableFuture.runAsync(() -> {
                try (ServerLock.Held h = lock.take("drop " + who, who, false, (holder, ahead) ->
                        heard.add(who + " behind " + holder.what() + " with " + ahead.stream().map(ServerLock.Holder::by).toList() + " ahead"))) {
                    order.add(who);
                }
            }));
            Gate.await(who + " waiting", PATIENCE, () -> lock.queue().stream().anyMatch(h -> h.by().equals(who)));
        }
        Gate.await("both heard", PATIENCE, () -> heard.size() >= 2);
        assertThat(heard).contains("bob behind restore a.dev with [] ahead", "carol behind restore a.dev with [bob] ahead");
        assertThat(order).isEmpty();
        first.close();
        CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(order).containsExactly("bob", "carol");
    }

    @Test
    void anInterruptedWaiterLeavesTheQueueAndADeadHolderFreesTheServer() throws Exception {
        ServerLock.Held held = lock.take("restore a.dev", "alice", false, (h, a) -> { });
        CompletableFuture<Throwable> waiter = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (ServerLock.Held h = lock.take("drop b", "bob", false, (holder, ahead) -> { })) {
                waiter.complete(null);
            } catch (Throwable e) {
                waiter.complete(e);
            }
        });
        t.start();
        Gate.await("bob waiting", PATIENCE, () -> lock.queue().size() == 2);
        t.interrupt();
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isInstanceOf(PgStagingException.class)
                .hasMessageContaining("cancelled while waiting").hasMessageContaining("nothing was done");
        Gate.await("bob gone from the queue", PATIENCE, () -> lock.queue().size() == 1);

        // the holder's session dies (its process was killed): the server is free
        int pid = lock.queue().get(0).pid();
        pg.execute("postgres", "SELECT pg_terminate_backend(" + pid + ")");
        Gate.await("the lock released", PATIENCE, () -> lock.queue().isEmpty());
        try (ServerLock.Held next = lock.take("restore c", "carol", true, (h, a) -> { })) {
            assertThat(lock.queue()).hasSize(1);
        }
        held.close();   // its connection is already gone: closing says nothing
    }
}
