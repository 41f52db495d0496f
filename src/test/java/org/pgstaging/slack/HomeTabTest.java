package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.slack.api.model.view.View;
import com.slack.api.util.json.GsonFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pgstaging.job.JobView;
import org.pgstaging.job.ServerActivity;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.Step;
import org.pgstaging.testkit.ViewLimits;

/** The Home tab's content, and its staying within what Slack accepts however busy the servers are. */
class HomeTabTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final HomeTab.Lookups NOBODY = new HomeTab.Lookups(id -> null, id -> id);

    static JobView job(String id, String section, JobState state, int position, String requester) {
        return new JobView(id, JobKind.RESTORE, section, "2026-11-24", section.substring(0, section.indexOf('.')) + "_20261124", requester, state,
                position, state == JobState.QUEUED ? NOW.plusSeconds(600) : null, NOW.plusSeconds(1800), null,
                state == JobState.FAILED ? new JobView.Failure("x".repeat(3000), "free space", "restoring", "dropped it") : null,
                NOW.minusSeconds(60), null);
    }

    static JsonObject json(View v) {
        return GsonFactory.createSnakeCase().toJsonTree(v).getAsJsonObject();
    }

    @Test
    void eachServerShowsWhatRunsWithItsProgressThenWhatWaitsInOrder() {
        ServerActivity db1 = new ServerActivity("db1:5432", List.of("foodb.dev", "bardb.dev"), List.of(
                new ServerActivity.Turn(0, "restore foodb.dev 2026-11-24", "Slack user U0ALICE, job j1", NOW.minusSeconds(300), null, "j1"),
                new ServerActivity.Turn(1, "purge bardb.dev", "bob@ops1 (console)", NOW.minusSeconds(60), NOW.plusSeconds(900), null)), null);
        ServerActivity db2 = new ServerActivity("db2:5432", List.of("quiet.dev"), List.of(), null);
        JobProgress p = JobProgress.start(NOW).apply(new RestoreEvent.StepProgress("foodb_20261124", Step.DOWNLOAD,
                1L << 30, 4L << 30, "bytes", 100 << 20), NOW);
        List<JobView> queue = List.of(job("j1", "foodb.dev", JobState.RUNNING, 0, "U0ALICE"),
                job("j3", "bardb.dev", JobState.QUEUED, 2, "U0CAROL"), job("j2", "foodb.dev", JobState.QUEUED, 1, "U0BOB"),
                job("j4", "foodb.dev", JobState.AWAITING_APPROVAL, 0, "U0DAN"));
        String text = json(HomeTab.view(new HomeTab.Board(List.of(db1, db2), queue, List.of(), null, NOW), List.of(), Optional.empty(),
                "/pgstaging", new HomeTab.Lookups(id -> id.equals("j1") ? p : null, id -> id))).toString();
        assertThat(text).contains("*`db1:5432`*  foodb.dev, bardb.dev\\n:gear: *Restore foodb.dev (2026-11-24) → foodb_20261124* for <@U0ALICE>"
                + " · estimated finish <!date^")
                .contains(":arrow_forward: downloading: 1.0 GB of 4.0 GB at 100 MB/s, about 31 s left")
                // the console's purge already waits for the lock; the bot's queue follows in its order
                .contains("\\n1. `purge bardb.dev` by bob@ops1 (console), waiting since")
                .contains("\\n2. *Restore foodb.dev (2026-11-24) → foodb_20261124* for <@U0BOB> · estimated start")
                .contains("\\n3. *Restore bardb.dev (2026-11-24) → bardb_20261124* for <@U0CAROL>")
                .contains(":hourglass_flowing_sand: *Restore foodb.dev (2026-11-24) → foodb_20261124* for <@U0DAN> awaits approval")
                .contains(":zzz: Nothing running or waiting on `db2:5432` (quiet.dev)")
                .as("the bot's job holding the lock is shown once, as a job").doesNotContain("Slack user U0ALICE, job j1");
    }

    @Test
    void theViewersOwnRequestsAndAButtonOnlyForThoseWhoMayAsk() {
        HomeTab.Board board = new HomeTab.Board(List.of(), List.of(), List.of(), null, NOW);
        List<HomeTab.OwnRequest> own = List.of(new HomeTab.OwnRequest(job("j7", "foodb.dev", JobState.FAILED, 0, "U0ALICE"), "C0STAGING"),
                new HomeTab.OwnRequest(job("j6", "foodb.dev", JobState.QUEUED, 1, "U0ALICE"), null));
        String mine = json(HomeTab.view(board, own, Optional.empty(), "/pgstaging", NOBODY)).toString();
        assertThat(mine).contains("`j7` *Restore foodb.dev (2026-11-24) → foodb_20261124* · :x: Failed while restoring: xxx")
                .contains("<#C0STAGING>").contains("`j6` *Restore foodb.dev (2026-11-24) → foodb_20261124* · :inbox_tray: Queued, position 1")
                .contains(ActionIds.HOME_REQUEST).contains("_No database server is configured._");
        String refused = json(HomeTab.view(board, List.of(), Optional.of("You are not among the requesters."), "/pgstaging", NOBODY)).toString();
        assertThat(refused).doesNotContain(ActionIds.HOME_REQUEST).contains(":no_entry: You are not among the requesters.")
                .contains("_You have asked for nothing yet._");
    }

    @Test
    void whatCouldNotBeReadIsSaidAndTheJobsStillShow() {
        HomeTab.Board board = new HomeTab.Board(List.of(), List.of(job("j1", "foodb.dev", JobState.QUEUED, 1, "U0ALICE")), List.of(),
                "connection refused", NOW);
        assertThat(json(HomeTab.view(board, List.of(), Optional.empty(), "/pgstaging", NOBODY)).toString())
                .contains(":warning: Some of this could not be read: connection refused")
                .contains("*`other sections`*").contains("1. *Restore foodb.dev");
    }

    @Test
    void hostileNamesAreEscapedAndAFloodOfServersStaysWithinSlacksLimits() {
        String hostile = "<!channel> & <b>db</b> 🐘";
        List<ServerActivity> servers = new ArrayList<>();
        List<JobView> queue = new ArrayList<>();
        for (int s = 0; s < 120; s++) {
            String section = hostile + " " + s + ".dev";
            List<ServerActivity.Turn> turns = new ArrayList<>();
            turns.add(new ServerActivity.Turn(0, "restore " + section + " " + "y".repeat(400), hostile + "@host (console)", NOW, null, null));
            IntStream.rangeClosed(1, 30).forEach(i -> turns.add(new ServerActivity.Turn(i, "vacuumdb " + section, "<@U0EVIL>", NOW, NOW, null)));
            servers.add(new ServerActivity(hostile + " db" + s + ":5432", List.of(section), turns, s % 7 == 0 ? hostile : null));
            for (int j = 0; j < 20; j++) queue.add(job("j" + s + "-" + j, section, JobState.QUEUED, j + 1, "U0ALICE"));
        }
        List<HomeTab.OwnRequest> own = IntStream.range(0, HomeTab.OWN_REQUESTS)
                .mapToObj(i -> new HomeTab.OwnRequest(job("f" + i, hostile + ".dev", JobState.FAILED, 0, "U0ALICE"), "C0STAGING")).toList();
        JsonObject view = json(HomeTab.view(new HomeTab.Board(servers, queue, List.of(), hostile, NOW), own, Optional.empty(),
                "/pgstaging", NOBODY));
        assertThat(ViewLimits.problems(view)).isEmpty();
        assertThat(view.getAsJsonArray("blocks").size()).isLessThanOrEqualTo(HomeTab.MAX_BLOCKS);
        String text = String.join("\n", RequestFormTest.mrkdwn(view));
        assertThat(text).doesNotContain("<!channel>").doesNotContain("<b>").contains("&lt;!channel&gt; &amp; &lt;b&gt;db&lt;/b&gt; 🐘")
                .contains("… and " + (120 - HomeTab.MAX_BUSY_SERVERS) + " more busy servers")
                .contains("… and " + (30 + 20 - HomeTab.MAX_WAITING) + " more waiting")
                .doesNotContain("<@U0EVIL>");
    }
}
