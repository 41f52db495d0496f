package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.job.CatalogReport;
import org.pgstaging.job.ConnectedClient;
import org.pgstaging.job.CopyComparison;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.job.JobView;
import org.pgstaging.job.RestorePreview;
import org.pgstaging.job.model.JobKind;
import org.pgstaging.job.model.JobState;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.Step;
import org.pgstaging.testkit.SlackBlockRules;

/**
 * Every message builder fed names nobody would choose: markup ({@code <b>}), a broadcast
 * ({@code <!channel>}), {@code &}, backquotes, letters with accents, emoji sequences, flags, and
 * 3,000-character values. What Slack would receive is asserted exactly where it matters and, for
 * every text of every message, checked for what must never happen: an unescaped control
 * character, a token we did not write, a half character, a text beyond Slack's limits.
 */
class HostileNamesTest {
    static final String FAMILY = SlackTextTest.FAMILY;
    static final String FLAG = SlackTextTest.FLAG;
    static final String THUMB = SlackTextTest.THUMB;
    static final String HOSTILE = "<!channel> & <b>Ünï " + FAMILY + FLAG + " `x`";
    static final String HOSTILE_MRKDWN = "&lt;!channel&gt; &amp; &lt;b&gt;Ünï " + FAMILY + FLAG + " `x`";
    /** 3,000 UTF-16 units, escapes and surrogate pairs all along. */
    static final String LONG = ("a&b<c>" + THUMB).repeat(300);
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @RegisterExtension
    static final LoopbackSlack slack = new LoopbackSlack();

    static JobView job(String section, JobState state, JobView.Decision decision, JobView.Failure failure) {
        return new JobView("j42", JobKind.RESTORE, section, "2026-11-24", "foodb_20261124", "U0ALICE", state, 2,
                NOW.plusSeconds(600), NOW.plusSeconds(2400), decision, failure, NOW.minusSeconds(60), null);
    }

    static CopyComparison comparison(String alias, String table) {
        return new CopyComparison(alias,
                new CopyComparison.DbStats("foodb_20261124", 3_100_000_000L, 212, List.of(new CopyComparison.TableEstimate(table, 41_000_000, 1))),
                new CopyComparison.DbStats("foodb_20261120", 3_000_000_000L, 210, List.of(new CopyComparison.TableEstimate(table, 40_000_000, 1))),
                false);
    }

    @Test
    void theRequestMessageEscapesTheNamesOnce() {
        Rendered r = Messages.request(job(HOSTILE, JobState.QUEUED, null, null), null, NOW);
        String title = "Restore " + HOSTILE_MRKDWN + " (2026-11-24) → foodb_20261124";
        assertThat(r.text()).isEqualTo(title + ": queued");
        JsonArray blocks = json(r.blocks());
        assertThat(text(blocks.get(0))).isEqualTo("*" + title + "*  requested by <@U0ALICE>");
        JsonObject cancel = blocks.get(2).getAsJsonObject().getAsJsonArray("elements").get(0).getAsJsonObject();
        assertThat(cancel.getAsJsonObject("confirm").getAsJsonObject("text").get("text").getAsString())
                .as("escaped once, not &amp;lt;").isEqualTo("Cancel " + title + "?");
        assertThat(text(blocks.get(3).getAsJsonObject().getAsJsonArray("elements").get(0)))
                .isEqualTo("job `j42` · reply in this thread: status, cancel, retry, switch, dbsizes");
        safe(r);
    }

    @Test
    void aLongFailureKeepsHowToFixAndWhatWasCleaned() {
        JobView failed = job(HOSTILE, JobState.FAILED, null, new JobView.Failure(LONG, "check <b>" + HOSTILE, "restoring", "dropped " + HOSTILE));
        Rendered r = Messages.request(failed, null, NOW);
        String status = text(json(r.blocks()).get(1));
        assertThat(status).startsWith(":x: Failed while restoring: a&amp;b&lt;c&gt;" + THUMB)
                .contains(" more characters\n*How to fix:* check &lt;b&gt;" + HOSTILE_MRKDWN + "\n*Cleaned up:* dropped " + HOSTILE_MRKDWN);
        String message = status.substring(":x: Failed while restoring: ".length(), status.indexOf("… "));
        assertThat(Mrkdwn.escape(LONG)).as("the start of the message, cut between escapes").startsWith(message);
        assertThat(message.length()).isGreaterThan(1000);
        safe(r);
        safe(Messages.request(job(LONG, JobState.DENIED, new JobView.Decision("U0CAROL", false, NOW, LONG), null), null, NOW));
    }

    @Test
    void theApprovalCardAndTheDenyDialogStayWithinSlacksLimits() {
        BackupFile file = new BackupFile("foodb", LocalDate.of(2026, 11, 24), LONG, URI.create("http://backups.example/x"),
                OptionalLong.of(3_500_000_000L), null);
        List<String> names = List.of(HOSTILE, "public.`odd`", LONG);
        RestorePreview preview = new RestorePreview(LONG, file, HOSTILE, LONG,
                Optional.of(new CatalogReport(10, 7, names, names, names, names, names, "7 of 10")));
        Rendered card = Messages.approvalCard(job(LONG, JobState.AWAITING_APPROVAL, null, null), preview);
        safe(card);
        JsonArray fields = json(card.blocks()).get(1).getAsJsonObject().getAsJsonArray("fields");
        assertThat(fields.get(1).getAsJsonObject().get("text").getAsString()).startsWith("*Target*\n" + HOSTILE_MRKDWN + " · `a&amp;b");
        assertThat(text(json(card.blocks()).get(2))).contains("`" + HOSTILE_MRKDWN.replace('`', '\'') + "`").contains("`public.'odd'`");
        safe(Messages.approvalDecided(job(HOSTILE, JobState.QUEUED, new JobView.Decision("U0CAROL", true, NOW, HOSTILE), null)));

        JsonObject modal = JsonParser.parseString(GsonFactory.createSnakeCase().toJson(Messages.denyModal("j42",
                job(HOSTILE, JobState.AWAITING_APPROVAL, null, null)))).getAsJsonObject();
        assertThat(modal.getAsJsonObject("title").get("text").getAsString()).isEqualTo("Deny request");
        checkTexts(modal);
        assertThat(SlackBlockRules.problems(modal.getAsJsonArray("blocks"))).isEmpty();
    }

    @Test
    void theCompletionShowsTheNamesAsGivenInItsTableAndEscapedElsewhere() {
        List<DatabaseSize> sizes = List.of(new DatabaseSize(HOSTILE, "foodb_20261124", 2_000_000_000L, false),
                new DatabaseSize(HOSTILE, "foodb_20261120", 1_000_000_000L, true));
        Rendered r = Messages.completion(job(HOSTILE, JobState.DONE, null, null), sizes, comparison(HOSTILE, HOSTILE));
        safe(r);
        assertThat(r.text()).isEqualTo("<@U0ALICE> `foodb_20261124` is ready.");
        JsonArray blocks = json(r.blocks());
        assertThat(text(blocks.get(0))).isEqualTo("<@U0ALICE> `foodb_20261124` is ready.");
        assertThat(text(blocks.get(1))).startsWith("*Sizes of " + HOSTILE_MRKDWN + "*\n```\nsection")
                .contains("\n" + HOSTILE_MRKDWN.replace('`', '\'') + "  foodb_20261124  ");
        assertThat(text(blocks.get(2))).isEqualTo("*Compared with `foodb_20261120`*");
        JsonObject table = blocks.get(3).getAsJsonObject();
        assertThat(table.get("type").getAsString()).isEqualTo("table");
        assertThat(table.getAsJsonArray("rows").get(3).getAsJsonArray().get(0).getAsJsonObject().get("text").getAsString())
                .as("raw_text: shown as given").isEqualTo(HOSTILE + " rows");
        JsonObject button = blocks.get(4).getAsJsonObject().getAsJsonArray("elements").get(0).getAsJsonObject();
        assertThat(button.getAsJsonObject("text").get("text").getAsString()).isEqualTo("Switch " + HOSTILE + " to foodb_20261124");
        assertThat(button.get("value").getAsString()).isEqualTo(HOSTILE + "|foodb_20261124");

        // the same through Bolt's client to the Web API: every character arrives whole
        String ts = slack.poster.post("C0HOSTILE", null, false, r);
        JsonObject stored = slack.api.message("C0HOSTILE", ts);
        assertThat(stored.getAsJsonArray("blocks")).isEqualTo(blocks);
        assertThat(stored.get("text").getAsString()).isEqualTo(r.text());
    }

    @Test
    void aNameTooLongForAButtonValueGetsANoteInstead() {
        Rendered r = Messages.completion(job(LONG, JobState.DONE, null, null), List.of(), comparison(LONG, "t"));
        safe(r);
        JsonArray blocks = json(r.blocks());
        JsonObject last = blocks.get(blocks.size() - 1).getAsJsonObject();
        assertThat(last.get("type").getAsString()).isEqualTo("context");
        assertThat(text(last.getAsJsonArray("elements").get(0))).isEqualTo(":warning: These names are too long for a button: use the slash command.");
        Rendered purge = Messages.purgeConfirm(LONG, List.of());
        safe(purge);
        assertThat(json(purge.blocks()).toString()).doesNotContain("copy_purge");
    }

    @Test
    void buttonLabelsAreCutBetweenCharacters() {
        String alias = "foodb" + THUMB.repeat(30);
        Rendered r = Messages.switchConfirm("foodb.dev", alias, "foodb_20261124", List.of());
        safe(r);
        JsonObject button = json(r.blocks()).get(2).getAsJsonObject().getAsJsonArray("elements").get(0).getAsJsonObject();
        // "Switch foodb" and 15 thumbs (72 units), then "…": 73 of the 75 a label may have
        assertThat(button.getAsJsonObject("text").get("text").getAsString()).isEqualTo("Switch foodb" + THUMB.repeat(15) + "…");
        assertThat(button.getAsJsonObject("confirm").getAsJsonObject("title").get("text").getAsString())
                .isEqualTo("Switch foodb" + THUMB.repeat(21) + "…");
        assertThat(r.text()).isEqualTo("Point *foodb" + THUMB.repeat(30) + "* at `foodb_20261124`?");
    }

    @Test
    void confirmationsAndAfterSwitchEscapeWhatTheyShow() {
        List<ConnectedClient> who = List.of(new ConnectedClient("pgbouncer", HOSTILE, "<@U0EVE>", LONG, "10.0.0.7", "active"));
        Rendered drop = Messages.dropConfirm(HOSTILE, "foodb_20261124", who);
        safe(drop);
        assertThat(drop.text()).isEqualTo("Drop `foodb_20261124` of " + HOSTILE_MRKDWN + "?");
        assertThat(text(json(drop.blocks()).get(0))).isEqualTo(":wastebasket: Drop `foodb_20261124` of " + HOSTILE_MRKDWN + "?");
        assertThat(text(json(drop.blocks()).get(1))).contains("&lt;@U0EVE&gt;").doesNotContain("<@U0EVE>");
        safe(Messages.purgeConfirm(HOSTILE, who));
        List<LayoutBlock> after = Messages.afterSwitch(Messages.completion(job(HOSTILE, JobState.DONE, null, null), List.of(),
                comparison(HOSTILE, HOSTILE)).blocks(), HOSTILE, HOSTILE, "foodb_20261124", "foodb_20261120", "U0BOB", NOW);
        safe(new Rendered("switched", after));
        JsonArray blocks = json(after);
        assertThat(text(blocks.get(blocks.size() - 2).getAsJsonObject().getAsJsonArray("elements").get(0)))
                .isEqualTo(":twisted_rightwards_arrows: <@U0BOB> switched *" + HOSTILE_MRKDWN + "* to `foodb_20261124` "
                        + Human.time(NOW));
    }

    @Test
    void errorsEscapeTheMessageAndTheHint() {
        Rendered r = Messages.error("unknown section '" + HOSTILE + "'", "known sections: foodb.dev, " + HOSTILE);
        assertThat(r.text()).isEqualTo(":warning: unknown section '" + HOSTILE_MRKDWN + "'\nknown sections: foodb.dev, " + HOSTILE_MRKDWN);
        assertThat(text(json(r.blocks()).get(0))).isEqualTo(r.text());
        safe(r);
        safe(Messages.error(LONG, LONG));
    }

    @Test
    void detailsKeepTheNewestLinesEscapedInTheirCodeBlock() {
        JobProgress p = JobProgress.start(NOW)
                .apply(new RestoreEvent.StepFinished("foodb_20261124", Step.CREATE_DATABASE, Duration.ofSeconds(2), null), NOW);
        Rendered r = Messages.details(job(HOSTILE, JobState.DONE, null, null), p, List.of(
                "pg_restore: error: relation \"a<b>\" & c", "psql:post.sql:3: NOTICE: ``` done " + THUMB));
        assertThat(r.text()).isEqualTo("*Details* of Restore " + HOSTILE_MRKDWN + " (2026-11-24) → foodb_20261124\n```\n"
                + String.format("%-22s %s", "creating database", "2 s") + "\n\n"
                + "pg_restore: error: relation \"a&lt;b&gt;\" &amp; c\n"
                + "psql:post.sql:3: NOTICE: ''' done " + THUMB + "\n```");
        safe(r);

        List<String> many = IntStream.range(0, 500).mapToObj(i -> "line " + i + " <" + THUMB + "> & " + "x".repeat(80)).toList();
        Rendered cut = Messages.details(job("foodb.dev", JobState.FAILED, null, null), null, many);
        safe(cut);
        assertThat(cut.text()).startsWith("*Details* of Restore foodb.dev (2026-11-24) → foodb_20261124\n```\n… ")
                .contains(" earlier lines\n").endsWith("line 499 &lt;" + THUMB + "&gt; &amp; " + "x".repeat(80) + "\n```");
        int earlier = Integer.parseInt(cut.text().replaceAll("(?s).*```\n… (\\d+) earlier lines.*", "$1"));
        assertThat(cut.text()).contains("\nline " + earlier + " &lt;").doesNotContain("\nline " + (earlier - 1) + " &lt;");

        Rendered oneLong = Messages.details(job("foodb.dev", JobState.FAILED, null, null), null, List.of(LONG));
        safe(oneLong);
        assertThat(oneLong.text()).endsWith(" more characters\n```");
    }

    @Test
    void listingsShowTitlesEscapedAndCellsAsGiven() {
        Rendered r = Messages.listing("Copies of " + HOSTILE, Tables.dbsizes(List.of(new DatabaseSize(HOSTILE, LONG, 1, true))),
                "_no dated copies_", "*Outside the bot*\n" + Tables.connections(List.of(new ConnectedClient(HOSTILE, "", "", "", "", ""))).fenced());
        safe(r);
        JsonArray blocks = json(r.blocks());
        assertThat(text(blocks.get(0))).isEqualTo("*Copies of " + HOSTILE_MRKDWN + "*");
        JsonArray row = blocks.get(2).getAsJsonObject().getAsJsonArray("rows").get(1).getAsJsonArray();
        assertThat(row.get(0).getAsJsonObject().get("text").getAsString()).isEqualTo(HOSTILE);
        assertThat(row.get(1).getAsJsonObject().get("text").getAsString()).isEqualTo(PlainText.cut(LONG, SlackTable.MAX_CELL));
        safe(Messages.help("/pgstaging"));
        safe(Messages.plain(Mrkdwn.escape(LONG)));
    }

    // ---- what must never reach Slack ---------------------------------------------------------------

    /** Tokens the bot writes itself: mentions, channels, dates. */
    private static final Pattern OUR_TOKENS = Pattern.compile("<@U[A-Z0-9]+>|<#C[A-Z0-9]+>|<!date\\^\\d+\\^[^|<>]+\\|[^<>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt);");

    static void safe(Rendered r) {
        checkMrkdwn("text", r.text());
        assertThat(r.text().length()).isLessThanOrEqualTo(Rendered.TEXT_LIMIT);
        JsonArray blocks = json(r.blocks());
        checkTexts(blocks);
        assertThat(SlackBlockRules.problems(blocks)).as("what Slack would refuse").isEmpty();
    }

    static void checkTexts(JsonElement e) {
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(HostileNamesTest::checkTexts);
        } else if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            String type = o.has("type") && o.get("type").isJsonPrimitive() ? o.get("type").getAsString() : "";
            if (o.has("text") && o.get("text").isJsonPrimitive()) {
                String text = o.get("text").getAsString();
                switch (type) {
                    case "mrkdwn" -> checkMrkdwn("mrkdwn", text);
                    case "plain_text", "raw_text" -> assertThat(SlackTextTest.wholeCharacters(text)).as(type + ": " + text).isTrue();
                    default -> throw new AssertionError("text of unknown kind: " + o);
                }
            }
            o.entrySet().forEach(m -> checkTexts(m.getValue()));
        }
    }

    static void checkMrkdwn(String what, String text) {
        assertThat(SlackTextTest.wholeCharacters(text)).as(what + " in whole characters: " + text).isTrue();
        String outside = OUR_TOKENS.matcher(text).replaceAll("");
        assertThat(outside).as(what + " has no < or > but ours: " + text).doesNotContain("<").doesNotContain(">");
        assertThat(ENTITY.matcher(outside).replaceAll("")).as(what + " has no bare &: " + text).doesNotContain("&");
    }

    static JsonArray json(List<LayoutBlock> blocks) {
        return JsonParser.parseString(GsonFactory.createSnakeCase().toJson(blocks)).getAsJsonArray();
    }

    static String text(JsonElement block) {
        JsonObject o = block.getAsJsonObject();
        return o.has("text") && o.get("text").isJsonObject() ? o.getAsJsonObject("text").get("text").getAsString() : o.get("text").getAsString();
    }
}
