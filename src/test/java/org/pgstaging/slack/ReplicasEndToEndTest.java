package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.pgstaging.config.StateUrl;
import org.pgstaging.job.model.JobState;
import org.pgstaging.job.store.HistoryAction;
import org.pgstaging.job.store.HistoryEntry;
import org.pgstaging.job.store.Job;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.job.store.StateLocation;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.PgbouncerServer;
import org.pgstaging.testkit.PostgresServer;
import org.pgstaging.testkit.PrometheusText;
import org.pgstaging.testkit.RestoreSampler;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;
import org.pgstaging.testkit.StagingSandbox;
import org.pgstaging.testkit.Unprivileged;

/**
 * Two {@code pgstaging bot} processes on one PostgreSQL state database, three database servers
 * (each a PostgreSQL and a pgbouncer of its own), 20 restores asked through either bot, one slash
 * command delivered to both, and the bot running a restore killed with SIGKILL mid-restore, then
 * started again. Watched from outside: the history, pg_stat_activity on each server, the
 * databases left, and /metrics.
 */
class ReplicasEndToEndTest {
    static final String BOT_TOKEN = "xoxb-5555-6666-pgstagingreplicas";
    static final String SECRET = "4c5d6e7f8091a2b3c4d5e6f708192a3b";
    static final String CHANNEL = "C0REPLICAS";
    static final String ALICE = "U0ALICE1";
    static final Duration LONG = Duration.ofSeconds(120);
    /** What the README promises: a dead replica's job is settled by another within the poll period plus the cleanup. */
    static final Duration TAKEOVER_BOUND = Duration.ofSeconds(20);
    static final String GATE = "replicas_e2e_gate";

    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @Test
    void twoReplicasThreeServersTwentyRestoresAndOneSigkill() throws Exception {
        PostgresServer pg2 = PostgresServer.start();
        PostgresServer pg3 = PostgresServer.start();
        try (StagingSandbox sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
             PgbouncerServer bouncer2 = PgbouncerServer.start(pg2);
             PgbouncerServer bouncer3 = PgbouncerServer.start(pg3);
             SlackApiServer api = SlackApiServer.start(BOT_TOKEN, "xapp-1-unused")) {
            api.user(ALICE, "alice");
            List<PostgresServer> servers = List.of(sandbox.pg, pg2, pg3);
            List<PgbouncerServer> bouncers = List.of(sandbox.bouncer, bouncer2, bouncer3);
            // seven sections over three servers, three backups each
            List<LocalDate> dates = List.of(today.minusDays(3), today.minusDays(2), today.minusDays(1));
            StringBuilder sections = new StringBuilder();
            for (int i = 1; i <= 7; i++) {
                int server = i <= 3 ? 0 : i <= 5 ? 1 : 2;
                for (LocalDate d : dates) sandbox.publishDump("repdb" + i, d);
                if (i == 1) continue; // writeConfig's own section
                sections.append("\n[repdb").append(i).append(".dev]\nbackup_base_url = /repdb").append(i)
                        .append("/\ndbname = repdb").append(i).append("\ndbowner = postgres\nschemas = public, app, billing, Sales Data, données, audit\n")
                        .append("approval = none\nsql_path = ").append(sandbox.sqlPath).append('\n')
                        .append("postgres_port = ").append(servers.get(server).port()).append('\n')
                        .append("pgbouncer_port = ").append(bouncers.get(server).port()).append('\n')
                        .append("pgbouncer_conf = ").append(bouncers.get(server).configFile()).append('\n');
            }
            String ini = Files.readString(sandbox.writeConfig("repdb1", "approval = none", sections.toString()), StandardCharsets.UTF_8);
            ini = ini.replace("keep_bases      = 2", "keep_bases      = 10").replace("auto_switch     = True", "auto_switch     = False");
            String stateDb = "replicas_state";
            sandbox.pg.createDatabase(stateDb);
            String stateUrl = sandbox.pg.jdbcUrl(stateDb) + "?user=" + sandbox.pg.superuser();
            int portA = PostgresServer.freePort();
            int portB = PostgresServer.freePort();
            Path iniA = botIni(sandbox, ini, api, portA, stateUrl, "a");
            Path iniB = botIni(sandbox, ini, api, portB, stateUrl, "b");

            // the first restore of repdb1 waits at its gate, so that a bot is surely mid-restore when killed
            Path gateDir = sandbox.sqlPath.resolve("repdb1.dev/pre");
            Files.createDirectories(gateDir);
            Files.writeString(gateDir.resolve("00-gate.sql"), Gate.sql(GATE, 90), StandardCharsets.UTF_8);
            Unprivileged.makeReadable(sandbox.sqlPath);

            List<RestoreSampler> samplers = new ArrayList<>();
            for (PostgresServer s : servers) samplers.add(RestoreSampler.start(s));
            SlackRequests slack = new SlackRequests(SECRET);
            Map<String, BotProcessE2E> bots = new HashMap<>();
            BotProcessE2E a = BotProcessE2E.start(iniA, portA, sandbox.dir.resolve("bot-a.log"), LONG);
            BotProcessE2E b = BotProcessE2E.start(iniB, portB, sandbox.dir.resolve("bot-b.log"), LONG);
            bots.put("a", a);
            bots.put("b", b);
            BotProcessE2E restarted = null;
            try {
                List<String> asked = new ArrayList<>();
                for (int i = 1; i <= 7; i++) {
                    for (LocalDate d : dates) {
                        if (asked.size() < 20) asked.add("restore repdb" + i + ".dev " + d);
                    }
                }
                int n = 0;
                for (String text : asked) {
                    BotProcessE2E to = n++ % 2 == 0 ? a : b;
                    SlackRequests.Signed command = slack.signForm(slack.slashCommand(ALICE, CHANNEL, "/pgstaging", text, api.responseUrl()));
                    assertThat(slack.send(to.eventsUri(), command).statusCode()).isEqualTo(200);
                    if (n == 1) {
                        // the same delivery reaches the other replica too (Slack retried it, a load balancer sent it there)
                        HttpResponse<String> again = slack.send(b.eventsUri(), command);
                        assertThat(again.statusCode()).isEqualTo(200);
                    }
                }

                try (JobStore store = JobStore.open(StateLocation.postgres(StateUrl.parse(stateUrl)), Clock.systemUTC())) {
                    Gate.await("20 jobs stored", LONG, () -> store.recent(100).size() >= 20);
                    // the kill comes mid-restore, not between a request's acknowledgement and its answer
                    // (that case is HeldRequestReplicasEndToEndTest's)
                    Gate.await("20 requests answered", LONG, () -> api.calls("response_url").size() >= 20);
                    // the gated restore: find it and the bot running it
                    Gate.await("repdb1 restore at its gate", LONG, () -> sessionsOnDatedCopy(sandbox.pg, "repdb1") > 0);
                    Job gated = store.inState(JobState.RUNNING).stream().filter(j -> j.section().equals("repdb1.dev"))
                            .findFirst().orElseThrow();
                    BotProcessE2E runner = a.pid() == pidOf(gated.owner()) ? a : b;
                    String runnerName = runner == a ? "a" : "b";
                    // as an operator would, the slow script is fixed; the orphaned psql of the killed bot still waits
                    Files.delete(gateDir.resolve("00-gate.sql"));
                    Instant killedAt = Instant.now();
                    runner.kill();
                    // it may have run jobs of the other servers too: each of them is interrupted and re-run once
                    Set<Long> cutShort = new TreeSet<>();
                    store.inState(JobState.RUNNING).stream().filter(j -> gated.owner().equals(j.owner()))
                            .forEach(j -> cutShort.add(j.id()));
                    assertThat(cutShort).contains(gated.id());

                    Gate.await("another replica to take over job #" + gated.id(), TAKEOVER_BOUND,
                            () -> store.get(gated.id()).state() != JobState.RUNNING);
                    HistoryEntry interrupted = store.history().forJob(gated.id()).stream()
                            .filter(e -> e.action() == HistoryAction.INTERRUPTED).findFirst().orElseThrow();
                    assertThat(Duration.between(killedAt, interrupted.at())).isLessThan(TAKEOVER_BOUND);
                    // the job's thread hears of it from the replica that took over
                    String thread = store.slackMessages().find(Long.toString(gated.id())).orElseThrow().ts();
                    api.await("chat.postMessage", c -> thread.equals(c.param("thread_ts")) && c.allText().contains("interrupted")
                            && c.allText().contains("queued again"), LONG);

                    restarted = BotProcessE2E.start(runnerName.equals("a") ? iniA : iniB, runnerName.equals("a") ? portA : portB,
                            sandbox.dir.resolve("bot-" + runnerName + "-2.log"), LONG);
                    BotProcessE2E survivor = runner == a ? b : a;
                    Gate.await("every job to end", LONG, () -> store.recent(100).stream().allMatch(j -> j.state().isFinal()));

                    List<Job> jobs = store.recent(100);
                    assertThat(jobs).as("one job per request: the command delivered twice made one").hasSize(20);
                    assertThat(jobs).allSatisfy(j -> assertThat(j.state()).as(j.label() + ": " + j.error() + "\nhistory: "
                            + store.history().forJob(j.id()) + "\nbot logs:\n" + a.output() + "\n----\n" + b.output())
                            .isEqualTo(JobState.DONE));
                    for (Job j : jobs) {
                        List<HistoryEntry> h = store.history().forJob(j.id());
                        long starts = h.stream().filter(e -> e.action() == HistoryAction.START).count();
                        assertThat(starts).as(j.label() + " ran once, or twice when interrupted").isEqualTo(j.attempt() + 1L);
                        assertThat(h.stream().filter(e -> e.action() == HistoryAction.DONE)).hasSize(1);
                    }
                    // each job the killed bot ran was settled: run again once, or found finished (its copy complete)
                    assertThat(jobs.stream().filter(j -> j.attempt() > 0).map(Job::id).toList())
                            .as("only the jobs the killed bot ran were run again").isSubsetOf(cutShort);
                    for (long id : cutShort) {
                        assertThat(store.history().forJob(id)).extracting(HistoryEntry::action).as("job #" + id)
                                .containsSubsequence(HistoryAction.START, HistoryAction.INTERRUPTED, HistoryAction.DONE);
                    }
                    assertNoOverlapPerServer(store, jobs);
                    for (RestoreSampler s : samplers) s.close();
                    for (RestoreSampler s : samplers) {
                        assertThat(s.busySamples()).as("the sampler saw restores").isPositive();
                        assertThat(s.mostAtOnce()).as("one restore at a time on each server").isEqualTo(1);
                    }
                    // nothing half-made: exactly the DONE jobs' copies exist, each complete
                    Set<String> expected = new TreeSet<>();
                    jobs.forEach(j -> expected.add(j.targetDatabase()));
                    Set<String> found = new TreeSet<>();
                    for (PostgresServer s : servers) found.addAll(datedCopies(s));
                    assertThat(found).isEqualTo(expected);
                    for (PgbouncerServer pb : bouncers) {
                        for (String db : expected) {
                            if (Files.readString(pb.configFile()).contains(db + " ")) assertThat(found).contains(db);
                        }
                    }
                    // requests: each answered once
                    assertThat(api.calls("response_url")).as("20 answers, the repeat acknowledged silently").hasSize(20);
                    // /metrics of a replica: the jobs gauge agrees with the history
                    long done = jobs.stream().filter(j -> j.state() == JobState.DONE).count();
                    URI metrics = URI.create("http://127.0.0.1:" + (survivor == a ? portA : portB) + SlackHttpServer.METRICS_PATH);
                    Gate.await("the jobs gauge to catch up", LONG, () -> gauge(metrics) == done);
                    assertThat(PrometheusText.scrape(metrics).value("pgstaging_jobs", "kind", "restore", "state", "done"))
                            .isEqualTo((double) done);
                }
            } finally {
                for (RestoreSampler s : samplers) s.close();
                a.close();
                b.close();
                if (restarted != null) restarted.close();
                Gate.open(sandbox.pg, GATE);
                sandbox.pg.execute("postgres", "DROP ROLE IF EXISTS " + GATE);
            }
        } finally {
            pg2.close();
            pg3.close();
        }
    }

    private static Path botIni(StagingSandbox sandbox, String ini, SlackApiServer api, int port, String stateUrl, String name)
            throws Exception {
        return BotProcessE2E.withSlack(sandbox.dir.resolve("bot-" + name + ".ini"), ini, httpBotOnState(port, api, stateUrl,
                BOT_TOKEN, SECRET, CHANNEL, ALICE, "U0CAROL1"));
    }

    /** The [slack] settings of a bot in http mode on {@code port} keeping its state in {@code stateUrl}. */
    static Map<String, String> httpBotOnState(int port, SlackApiServer api, String stateUrl, String token, String secret,
                                              String channel, String requester, String approver) {
        Map<String, String> slack = new java.util.LinkedHashMap<>();
        slack.put("mode", "http");
        slack.put("http_port", Integer.toString(port));
        slack.put("bot_token", token);
        slack.put("signing_secret", secret);
        slack.put("api_url", api.apiUrl());
        slack.put("state_url", stateUrl);
        slack.put("channels", channel);
        slack.put("requesters", requester);
        slack.put("approvers", approver);
        return slack;
    }

    /** The process id in a job's owner, {@code host/pid/tag}. */
    private static long pidOf(String owner) {
        String[] parts = owner.split("/");
        return Long.parseLong(parts[parts.length - 2]);
    }

    /** Per server, the runs (START to the entry that ends it) never overlap. */
    private static void assertNoOverlapPerServer(JobStore store, List<Job> jobs) {
        Map<String, List<Instant[]>> runs = new HashMap<>();
        for (Job j : jobs) {
            Instant start = null;
            for (HistoryEntry e : store.history().forJob(j.id())) {
                if (e.action() == HistoryAction.START) {
                    start = e.at();
                } else if (start != null && (e.action() == HistoryAction.DONE || e.action() == HistoryAction.INTERRUPTED
                        || e.action() == HistoryAction.FAILED)) {
                    runs.computeIfAbsent(j.serverKey(), k -> new ArrayList<>()).add(new Instant[] {start, e.at()});
                    start = null;
                }
            }
        }
        runs.forEach((server, list) -> {
            list.sort((x, y) -> x[0].compareTo(y[0]));
            for (int i = 1; i < list.size(); i++) {
                assertThat(list.get(i)[0]).as("a run on " + server + " starts after the one before ends")
                        .isAfterOrEqualTo(list.get(i - 1)[1]);
            }
        });
        assertThat(runs).hasSize(3);
    }

    private static long gauge(URI metrics) {
        try {
            return (long) PrometheusText.scrape(metrics).value("pgstaging_jobs", "kind", "restore", "state", "done");
        } catch (Exception e) {
            return -1;
        }
    }

    private static long sessionsOnDatedCopy(PostgresServer pg, String prefix) {
        try (Connection c = pg.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname ~ ?")) {
            ps.setString(1, "^" + prefix + "_[0-9]{8}$");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> datedCopies(PostgresServer pg) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT datname FROM pg_database WHERE datname ~ '^repdb[0-9]_[0-9]{8}$'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
