package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pgstaging.config.StateUrl;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.job.store.StateLocation;
import org.pgstaging.testkit.PostgresServer;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackApiServer.Call;
import org.pgstaging.testkit.SlackRequests;
import org.pgstaging.testkit.StagingSandbox;

/**
 * Two {@code pgstaging bot} replicas on one PostgreSQL state: a slash command acknowledged by one
 * that is SIGKILLed while it reads the backup listing is taken over by the other once the dead one
 * has been silent for 30 s, and answered there: its response_url, its request message and card,
 * one job. The backup server is reached through a proxy that holds every connection until the
 * test lets it through, so the kill surely falls between the acknowledgement and the answer.
 */
class HeldRequestReplicasEndToEndTest {
    static final String BOT_TOKEN = "xoxb-7777-8888-pgstagingheldreps";
    static final String SECRET = "5d6e7f8091a2b3c4d5e6f708192a3b4c";
    static final String CHANNEL = "C0HELDREPS";
    static final String ALICE = "U0ALICE1";
    static final String CAROL = "U0CAROL1";
    static final Duration LONG = Duration.ofSeconds(120);

    @Test
    void aCommandAcknowledgedByAReplicaKilledBeforeItsAnswerIsAnsweredByTheOther() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (StagingSandbox sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
             SlackApiServer api = SlackApiServer.start(BOT_TOKEN, "xapp-1-unused");
             HeldProxy proxy = HeldProxy.to(sandbox.http.port())) {
            api.user(ALICE, "alice").user(CAROL, "carol");
            sandbox.publishDump("heldrep", today);
            String ini = Files.readString(sandbox.writeConfig("heldrep", "backup_host = 127.0.0.1:" + proxy.port()),
                    StandardCharsets.UTF_8);
            String stateDb = "held_replicas_state";
            sandbox.pg.createDatabase(stateDb);
            String stateUrl = sandbox.pg.jdbcUrl(stateDb) + "?user=" + sandbox.pg.superuser();
            int portA = PostgresServer.freePort();
            int portB = PostgresServer.freePort();
            SlackRequests slack = new SlackRequests(SECRET);
            try (BotProcessE2E a = BotProcessE2E.start(botIni(sandbox, ini, api, portA, stateUrl, "a"), portA,
                    sandbox.dir.resolve("bot-a.log"), LONG);
                 BotProcessE2E b = BotProcessE2E.start(botIni(sandbox, ini, api, portB, stateUrl, "b"), portB,
                         sandbox.dir.resolve("bot-b.log"), LONG)) {
                String responseUrl = api.responseUrl();
                HttpResponse<String> ack = slack.send(a.eventsUri(), slack.signForm(slack.slashCommand(ALICE, CHANNEL, "/pgstaging",
                        "restore heldrep.dev", responseUrl)));
                assertThat(ack.body()).contains("working");
                assertThat(proxy.connected.await(LONG.toSeconds(), TimeUnit.SECONDS))
                        .as("replica a to ask for the listing\n" + a.output()).isTrue();
                a.kill();
                long killed = System.nanoTime();
                proxy.open();

                Call answer = api.await("response_url", c -> responseUrl.endsWith(c.param("path")), LONG);
                long tookMs = (System.nanoTime() - killed) / 1_000_000;
                System.out.println("held request answered by the other replica " + tookMs + " ms after the kill");
                assertThat(answer.allText()).contains("posted");
                assertThat(b.output()).contains("taking over chat request");
                String jobId = answer.allText().replaceAll("(?s).*Request `(\\d+)` posted.*", "$1");
                api.awaitMessage(p -> p.channel().equals(CHANNEL) && p.text().contains("job `" + jobId + "`")
                        && p.text().contains("Restore heldrep.dev") && p.text().contains("requested by <@" + ALICE + ">"), LONG);
                try (JobStore store = JobStore.open(StateLocation.postgres(StateUrl.parse(stateUrl)), Clock.systemUTC())) {
                    org.pgstaging.testkit.Gate.await("the answered request to be forgotten", LONG,
                            () -> store.heldRequests().all().isEmpty());
                    assertThat(store.recent(10)).singleElement().satisfies(job -> {
                        assertThat(job.section()).isEqualTo("heldrep.dev");
                        assertThat(job.requestedBy()).isEqualTo(ALICE);
                        assertThat(job.state()).isEqualTo(JobState.AWAITING_APPROVAL);
                        assertThat(job.owner()).isNull();
                    });
                }
                Thread.sleep(1000);
                assertThat(api.calls("response_url").stream().filter(c -> responseUrl.endsWith(c.param("path")))).hasSize(1);
            }
        }
    }

    private static Path botIni(StagingSandbox sandbox, String ini, SlackApiServer api, int port, String stateUrl, String name)
            throws IOException {
        return BotProcessE2E.withSlack(sandbox.dir.resolve("held-" + name + ".ini"), ini,
                ReplicasEndToEndTest.httpBotOnState(port, api, stateUrl, BOT_TOKEN, SECRET, CHANNEL, ALICE, CAROL));
    }

    /** A TCP proxy to {@code target} that holds every connection until {@link #open()}, then passes its bytes both ways. */
    static final class HeldProxy implements AutoCloseable {
        final CountDownLatch connected = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);
        private final ServerSocket server;
        private final int target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        private HeldProxy(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accepter = new Thread(this::accept, "held-proxy");
            accepter.setDaemon(true);
            accepter.start();
        }

        static HeldProxy to(int target) throws IOException {
            return new HeldProxy(target);
        }

        int port() {
            return server.getLocalPort();
        }

        void open() {
            gate.countDown();
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = server.accept();
                    sockets.add(client);
                    connected.countDown();
                    Thread t = new Thread(() -> relay(client), "held-proxy-conn");
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private void relay(Socket client) {
            try {
                gate.await();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(upstream);
                Thread back = new Thread(() -> pump(upstream, client), "held-proxy-back");
                back.setDaemon(true);
                back.start();
                pump(client, upstream);
            } catch (IOException | InterruptedException e) {
                // a connection of the killed replica, or the end of the test
            }
        }

        private static void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) s.close();
        }
    }
}
