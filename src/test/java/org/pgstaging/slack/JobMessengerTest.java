package org.pgstaging.slack;

import org.pgstaging.job.model.JobMessages;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.JobSubmission;
import org.pgstaging.job.JobView;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.Step;
import org.pgstaging.testkit.SlackApiServer;

/** Stall warnings and the job-to-message map, against the loopback Web API, with a clock we move. */
class JobMessengerTest {
    static SlackApiServer api;
    static ApiRateLimits limits = new ApiRateLimits(Clock.systemUTC());
    static SlackPoster poster;
    static ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    /** A clock tests move by hand: stalls are about minutes of silence, not about waiting. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-24T09:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @BeforeAll
    static void start() {
        api = SlackApiServer.start(SlackHttpBotTest.BOT_TOKEN, "xapp-unused");
        poster = PostQueueTest.poster(api, limits);
    }

    @AfterAll
    static void stop() {
        scheduler.shutdownNow();
        api.close();
    }

    @Test
    void silentRunningJobIsReportedInItsThreadToBothPeople() throws Exception {
        MovableClock clock = new MovableClock();
        RecordingBackend backend = new RecordingBackend();
        MessageIndex index = new MessageIndex(org.pgstaging.testkit.TempDirs.create("pgstaging-index"), backend);
        JobMessenger messenger = new JobMessenger(backend, new PostQueue(poster, limits, scheduler, Clock.systemUTC(), null),
                new MessageThrottle(poster::update, Duration.ofMillis(10), scheduler, Clock.systemUTC(), limits, null),
                index, Runnable::run, clock, "C0APPROVALS");
        JobView job = backend.submit(new JobSubmission(JobKind.RESTORE, "foodb.dev", DateSpec.parse("2026-11-24"), "U0ALICE", "C0STALL"));
        JobMessages ref = messenger.announce(job, backend.preview("foodb.dev", DateSpec.latest()), "C0STALL");
        assertThat(ref.cardChannel()).as("card goes to approval_channel when set").isEqualTo("C0APPROVALS");
        assertThat(api.message("C0APPROVALS", ref.cardTs()).has("thread_ts")).isFalse();

        JobView approved = new JobView(job.id(), job.kind(), job.section(), job.date(), job.database(), job.requesterId(),
                JobState.QUEUED, 1, null, null, new JobView.Decision("U0CAROL", true, clock.instant(), null), null,
                job.submittedAt(), null);
        JobView running = approved.withState(JobState.RUNNING);
        messenger.jobChanged(running);
        messenger.jobProgress(running, new RestoreEvent.StepStarted(job.database(), Step.PG_RESTORE, null));
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        messenger.jobStalled(running, Duration.ofMinutes(11));
        api.await("chat.postMessage", c -> ref.ts().equals(c.param("thread_ts")) && c.allText().contains("has reported nothing"));
        var warnings = api.calls("chat.postMessage").stream()
                .filter(c -> ref.ts().equals(c.param("thread_ts")) && c.allText().contains("has reported nothing for 11 min")).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).allText()).contains("while restoring").contains("<@U0ALICE>").contains("<@U0CAROL>");
    }

    /**
     * A failed job's thread gets the last pg_restore/psql lines, escaped in their code block, and
     * the failure notice, its error escaped: nothing in them becomes markup or a mention.
     */
    @Test
    void detailsAndFailureNoticeArriveEscaped() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        MessageIndex index = new MessageIndex(org.pgstaging.testkit.TempDirs.create("pgstaging-index"), backend);
        JobMessenger messenger = new JobMessenger(backend, new PostQueue(poster, limits, scheduler, Clock.systemUTC(), null),
                new MessageThrottle(poster::update, Duration.ofMillis(10), scheduler, Clock.systemUTC(), limits, null),
                index, Runnable::run, new MovableClock(), null);
        JobView job = backend.submit(new JobSubmission(JobKind.RESTORE, "foodb.dev", DateSpec.parse("2026-11-24"), "U0ALICE", "C0DETAILS"));
        JobMessages ref = messenger.announce(job, null, "C0DETAILS");
        JobView running = job.withState(JobState.RUNNING);
        messenger.jobChanged(running);
        messenger.jobProgress(running, new RestoreEvent.Detail(job.database(), Step.PG_RESTORE,
                "pg_restore: error: could not execute query: ERROR:  relation \"<b>\" & <!channel> " + SlackTextTest.THUMB));
        messenger.jobProgress(running, new RestoreEvent.Detail(job.database(), Step.PG_RESTORE, "psql: ``` done"));
        messenger.jobChanged(new JobView(job.id(), job.kind(), job.section(), job.date(), job.database(), job.requesterId(),
                JobState.FAILED, 0, null, null, null, new JobView.Failure("pg_restore exited with status 1: <!here> & more", null,
                "restoring", null), job.submittedAt(), java.time.Instant.now()));
        var details = api.await("chat.postMessage", c -> ref.ts().equals(c.param("thread_ts")) && c.param("text").startsWith("*Details*"));
        assertThat(details.param("text")).isEqualTo("*Details* of Restore foodb.dev (2026-11-24) → foodb_20261124\n```\n"
                + "pg_restore: error: could not execute query: ERROR:  relation \"&lt;b&gt;\" &amp; &lt;!channel&gt; " + SlackTextTest.THUMB
                + "\npsql: ''' done\n```");
        var notice = api.await("chat.postMessage", c -> ref.ts().equals(c.param("thread_ts")) && c.param("text").contains("failed:"));
        assertThat(notice.param("text")).isEqualTo("<@U0ALICE> Restore foodb.dev (2026-11-24) → foodb_20261124 failed: "
                + "pg_restore exited with status 1: &lt;!here&gt; &amp; more. The Retry button above queues it again.");
    }

    /**
     * A queued job that runs to its end while its request message is still being posted (the server
     * became free meanwhile): its changes had no message to edit then, yet the message shows it done
     * and the thread gets its outcome, once.
     */
    @Test
    void aJobThatEndsWhileItsMessageIsPostedStillGetsItsOutcome() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        backend.noApproval.add("foodb.dev");
        MessageIndex index = new MessageIndex(org.pgstaging.testkit.TempDirs.create("pgstaging-index"), backend);
        JobMessenger messenger = new JobMessenger(backend, new PostQueue(poster, limits, scheduler, Clock.systemUTC(), null),
                new MessageThrottle(poster::update, Duration.ofMillis(10), scheduler, Clock.systemUTC(), limits, null),
                index, Runnable::run, new MovableClock(), null);
        JobView queued = backend.submit(new JobSubmission(JobKind.SWITCH, "foodb.dev", DateSpec.parse("2026-11-24"), "U0ALICE", "C0CATCHUP"));
        assertThat(queued.state()).isEqualTo(JobState.QUEUED);
        // the queue runs it before the bot has the message's ts: both changes find no message
        JobView running = queued.withState(JobState.RUNNING);
        backend.jobs.put(queued.id(), running);
        messenger.jobChanged(running);
        JobView done = queued.withState(JobState.DONE);
        backend.jobs.put(queued.id(), done);
        messenger.jobChanged(done);

        JobMessages ref = messenger.announce(queued, null, "C0CATCHUP");
        api.await("chat.postMessage", c -> ref.ts().equals(c.param("thread_ts")) && c.allText().contains("is done"));
        api.await("chat.update", c -> ref.ts().equals(c.param("ts")) && c.allText().contains("Done"));
        messenger.jobChanged(done); // a late duplicate of the last change
        Thread.sleep(200);
        assertThat(api.calls("chat.postMessage").stream()
                .filter(c -> ref.ts().equals(c.param("thread_ts")) && c.allText().contains("is done"))).hasSize(1);
    }

    /** The slack-messages.json of earlier versions goes into the state store once, then is set aside. */
    @Test
    void anOldMessageFileIsImportedOnceThenRenamed() throws Exception {
        Path dir = org.pgstaging.testkit.TempDirs.create("pgstaging-index");
        // as the file-based index wrote it: job id -> its messages, oldest first
        Files.writeString(dir.resolve(MessageIndex.FILE), "{\"j1\":{\"channel\":\"C0STAGING\",\"ts\":\"1700000000.000100\","
                + "\"cardChannel\":\"C0APPROVALS\",\"cardTs\":\"1700000000.000200\"},"
                + "\"j2\":{\"channel\":\"C0OTHERSTAGE\",\"ts\":\"1700000000.000300\",\"completionTs\":\"1700000000.000400\"}}");
        RecordingBackend backend = new RecordingBackend();
        MessageIndex index = new MessageIndex(dir, backend);
        assertThat(index.jobOfThread("C0STAGING", "1700000000.000100")).contains("j1");
        assertThat(index.jobOfThread("C0APPROVALS", "1700000000.000200")).as("a card is no thread").isEmpty();
        assertThat(index.ref("j1").orElseThrow().cardChannel()).isEqualTo("C0APPROVALS");
        assertThat(index.ref("j2").orElseThrow().completionTs()).isEqualTo("1700000000.000400");
        assertThat(dir.resolve(MessageIndex.FILE)).doesNotExist();
        assertThat(dir.resolve(MessageIndex.IMPORTED)).exists();

        // a later start finds nothing to import and keeps what the store has
        index.put("j2", index.ref("j2").orElseThrow().withCard("C0APPROVALS", "1700000000.000500"));
        MessageIndex restarted = new MessageIndex(dir, backend);
        assertThat(restarted.ref("j2").orElseThrow().cardTs()).isEqualTo("1700000000.000500");
        assertThat(restarted.ref("j2").orElseThrow().completionTs()).isEqualTo("1700000000.000400");
    }
}
