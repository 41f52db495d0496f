package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.slack.api.util.json.GsonFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.CatalogReport;
import org.pgstaging.job.CopyComparison;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.job.JobView;
import org.pgstaging.job.RestorePreview;
import org.pgstaging.job.Verb;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.Step;

class MessagesTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    static JobView job(JobState status) {
        return new JobView("j42", JobKind.RESTORE, "foodb.dev", "2026-11-24", "foodb_20261124", "U0ALICE", status, 2,
                NOW.plusSeconds(600), NOW.plusSeconds(2400), null, null, NOW.minusSeconds(60), null);
    }

    /** Every section text within Slack's 3000 characters, at most 50 blocks. */
    static void withinLimits(Rendered r) {
        assertThat(r.blocks()).hasSizeLessThanOrEqualTo(50);
        JsonArray blocks = GsonFactory.createSnakeCase().toJsonTree(r.blocks()).getAsJsonArray();
        for (JsonElement b : blocks) {
            JsonObject o = b.getAsJsonObject();
            if (o.has("text") && o.getAsJsonObject("text").has("text")) {
                assertThat(o.getAsJsonObject("text").get("text").getAsString().length()).isLessThanOrEqualTo(3000);
            }
        }
    }

    @Test
    void requestMessageFollowsTheJob() {
        Rendered queued = Messages.request(job(JobState.QUEUED), null, NOW);
        assertThat(json(queued)).contains("Queued, position 2").contains("estimated start").contains("<!date^").contains("job_cancel");
        // 3 GiB left at 100 MiB/s: 30.72 s, rounded up.
        JobProgress p = JobProgress.start(NOW)
                .apply(new RestoreEvent.StepStarted("foodb_20261124", Step.CREATE_DATABASE, null), NOW)
                .apply(new RestoreEvent.StepFinished("foodb_20261124", Step.CREATE_DATABASE, Duration.ofSeconds(2), null), NOW)
                .apply(new RestoreEvent.StepProgress("foodb_20261124", Step.DOWNLOAD, 1L << 30, 4L << 30, "bytes", 100 << 20), NOW);
        String running = json(Messages.request(job(JobState.RUNNING), p, NOW));
        assertThat(running).contains("creating database (2 s)").contains("downloading: 1.0 GB of 4.0 GB at 100 MB/s, about 31 s left");
        JobProgress restoring = p.apply(new RestoreEvent.StepProgress("foodb_20261124", Step.PG_RESTORE, 120, 450, "items", 3), NOW);
        assertThat(json(Messages.request(job(JobState.RUNNING), restoring, NOW))).contains("restoring: 120/450 items");
        String denied = json(Messages.request(new JobView("j42", JobKind.RESTORE, "foodb.dev", "2026-11-24", "foodb_20261124", "U0ALICE",
                JobState.DENIED, 0, null, null, new JobView.Decision("U0CAROL", false, NOW, "<!channel> freeze"), null, NOW, NOW), null, NOW));
        assertThat(denied).contains("Denied by <@U0CAROL>").contains("&lt;!channel&gt; freeze").doesNotContain("job_cancel");
    }

    @Test
    void failureSaysWhatHowAndWhatWasCleanedUpWithRetry() {
        JobView failed = new JobView("j42", JobKind.RESTORE, "foodb.dev", "2026-11-24", "foodb_20261124", "U0ALICE", JobState.FAILED, 0,
                null, null, null, new JobView.Failure("could not download: HTTP 404", "check backup_base_url", "downloading", null), NOW, NOW);
        String s = json(Messages.request(failed, null, NOW));
        assertThat(s).contains("Failed while downloading: could not download: HTTP 404").contains("How to fix:* check backup_base_url")
                .contains("nothing was left behind").contains("job_retry");
    }

    @Test
    void approvalCardListsFilterAndTruncatesLongLists() {
        List<String> many = IntStream.range(0, 500).mapToObj(i -> "schema_" + i + ".a_rather_long_table_name_" + i).toList();
        RestorePreview preview = new RecordingBackend().preview("foodb.dev", DateSpec.latest());
        RestorePreview big = new RestorePreview(preview.section(), preview.backup(), preview.targetServer(), preview.targetDatabase(),
                java.util.Optional.of(new CatalogReport(5000, 4000, many, many, many, many, many, "4000 of 5000 catalog entries kept")));
        Rendered card = Messages.approvalCard(job(JobState.AWAITING_APPROVAL), big);
        withinLimits(card);
        assertThat(json(card)).contains("500 (").contains("492 more").contains("job_approve").contains("job_deny");
        Rendered fine = Messages.approvalCard(job(JobState.AWAITING_APPROVAL), preview);
        assertThat(json(fine)).contains("left out for what they need: 1").contains("CAST CAST (audit.stamp AS text) needs TYPE audit.stamp")
                .doesNotContain("cannot be restored");
        Rendered unknown = Messages.approvalCard(job(JobState.AWAITING_APPROVAL), new RestorePreview(preview.section(), preview.backup(),
                preview.targetServer(), preview.targetDatabase(), java.util.Optional.empty()));
        assertThat(json(unknown)).contains("computed after the download");
    }

    @Test
    void bigTablesAreCutWithACountOfWhatIsLeft() {
        List<DatabaseSize> sizes = new ArrayList<>();
        for (int i = 0; i < 400; i++) sizes.add(new DatabaseSize("foodb.dev", "foodb_2026" + String.format("%04d", i), 1L << 30, i == 3));
        String table = Tables.dbsizes(sizes).fenced();
        assertThat(table.length()).isLessThanOrEqualTo(3000);
        assertThat(table).startsWith("```").endsWith("```").containsPattern("… \\d+ more").contains("total").contains("400 GB");
        String[] lines = table.split("\n");
        assertThat(lines[1]).startsWith("section").contains("database");
        // Columns line up: every row has the size column ending at the same place.
        int end = lines[3].indexOf(" GB") ;
        assertThat(lines[4].indexOf(" GB")).isEqualTo(end);
    }

    @Test
    void completionComparesAndOffersSwitch() {
        RecordingBackend b = new RecordingBackend();
        Rendered r = Messages.completion(job(JobState.DONE), b.dbsizes(List.of("foodb.dev")), b.compare("foodb.dev", "foodb_20261124"));
        withinLimits(r);
        assertThat(json(r)).contains("<@U0ALICE>").contains("Switch foodb to foodb_20261124").contains("public.events rows")
                .contains("\"confirm\"");
        CopyComparison switched = new CopyComparison("foodb", b.compare("foodb.dev", "foodb_20261124").fresh(),
                b.compare("foodb.dev", "foodb_20261124").other(), true);
        assertThat(json(Messages.completion(job(JobState.DONE), List.of(), switched))).contains("now points to it")
                .contains("Switch foodb to foodb_20261120");
    }

    @Test
    void helpFitsAndListsEveryCommand() {
        Rendered help = Messages.help("/pgstaging");
        withinLimits(help);
        Verb.offeredBy(Verb.Face.CHAT).forEach(v -> assertThat(json(help)).contains("/pgstaging " + v.word()));
        assertThat(json(help)).doesNotContain("/pgstaging load");
    }

    @Test
    void renderedRefusesMoreThanFiftyBlocks() {
        var blocks = IntStream.range(0, 51).mapToObj(i -> Messages.text("x")).toList();
        assertThatThrownBy(() -> new Rendered("x", blocks)).hasMessageContaining("51 blocks");
    }

    @Test
    void humanSizes() {
        assertThat(Human.bytes(0)).isEqualTo("0 bytes");
        assertThat(Human.bytes(1536)).isEqualTo("1.5 kB");
        assertThat(Human.bytes(3_500_000_000L)).isEqualTo("3.3 GB");
        assertThat(Human.bytes(-1)).isEqualTo("missing");
        assertThat(Human.duration(Duration.ofSeconds(3725))).isEqualTo("1 h 2 min");
    }

    private static String json(Rendered r) {
        // Gson escapes <, >, & and ' for HTML; Slack receives them as the same characters.
        return (r.text() + GsonFactory.createSnakeCase().toJson(r.blocks())).replace("\\u003c", "<").replace("\\u003e", ">")
                .replace("\\u0026", "&").replace("\\u0027", "'").replace("\\u003d", "=");
    }
}
