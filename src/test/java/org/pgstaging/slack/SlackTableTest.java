package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackBlockRules;

/**
 * {@link SlackTable} as Slack's table block and as monospace text, within Slack's limits, and the
 * block as it reaches the Web API through Bolt's client.
 */
class SlackTableTest {
    @RegisterExtension
    static final LoopbackSlack slack = new LoopbackSlack();

    static SlackTable sizes() {
        SlackTable t = new SlackTable("section", "database", "size", "active").alignRight(2);
        t.row("foodb.dev", "foodb_20261124", "2.0 GB", "*");
        t.row("<!channel> & é", null, "1.0 kB", "");
        return t.footer("total", "2 copies", "2.0 GB", "");
    }

    static final String SIZES_BLOCK = "{\"type\":\"table\","
            + "\"column_settings\":[{\"is_wrapped\":true},{\"is_wrapped\":true},{\"align\":\"right\"},{\"is_wrapped\":true}],"
            + "\"rows\":[[{\"type\":\"raw_text\",\"text\":\"section\"},{\"type\":\"raw_text\",\"text\":\"database\"},"
            + "{\"type\":\"raw_text\",\"text\":\"size\"},{\"type\":\"raw_text\",\"text\":\"active\"}],"
            + "[{\"type\":\"raw_text\",\"text\":\"foodb.dev\"},{\"type\":\"raw_text\",\"text\":\"foodb_20261124\"},"
            + "{\"type\":\"raw_text\",\"text\":\"2.0 GB\"},{\"type\":\"raw_text\",\"text\":\"*\"}],"
            + "[{\"type\":\"raw_text\",\"text\":\"\\u003c!channel\\u003e \\u0026 é\"},{\"type\":\"raw_text\",\"text\":\"-\"},"
            + "{\"type\":\"raw_text\",\"text\":\"1.0 kB\"},{\"type\":\"raw_text\",\"text\":\"-\"}],"
            + "[{\"type\":\"raw_text\",\"text\":\"total\"},{\"type\":\"raw_text\",\"text\":\"2 copies\"},"
            + "{\"type\":\"raw_text\",\"text\":\"2.0 GB\"},{\"type\":\"raw_text\",\"text\":\"-\"}]]}";

    static final String SIZES_FENCED = "```\n"
            + "section         database          size  active\n"
            + "--------------  --------------  ------  ------\n"
            + "foodb.dev       foodb_20261124  2.0 GB  *\n"
            + "&lt;!channel&gt; &amp; é                  1.0 kB\n"
            + "--------------  --------------  ------  ------\n"
            + "total           2 copies        2.0 GB\n"
            + "```";

    /** As Bolt writes a request's blocks (its Gson, snake_case): the shape of Slack's reference. */
    @Test
    void theBlockIsTheTableSlackDocuments() {
        String json = GsonFactory.createSnakeCase().toJson(List.<LayoutBlock>of(sizes().block()));
        assertThat(json).isEqualTo("[" + SIZES_BLOCK + "]");
    }

    /** Text cells are raw_text, shown as given; in the code block they are escaped, after alignment. */
    @Test
    void theMonospaceFormIsEscapedAndAligned() {
        assertThat(sizes().fenced()).isEqualTo(SIZES_FENCED);
    }

    @Test
    void aListingReachesSlackAsTitleTableBlockAndTextFallback() {
        Rendered listing = Messages.listing("Database sizes", sizes(), "_no dated copies_", null);
        String ts = slack.poster.post("C0TABLES", null, false, listing);
        SlackApiServer.Call call = slack.api.await("chat.postMessage", c -> "C0TABLES".equals(c.param("channel")) && c.blocks().size() == 2);
        assertThat(call.blocks()).isEqualTo(JsonParser.parseString("[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\","
                + "\"text\":\"*Database sizes*\"}}," + SIZES_BLOCK + "]"));
        assertThat(call.param("text")).isEqualTo("*Database sizes*\n" + SIZES_FENCED);
        assertThat(slack.api.message("C0TABLES", ts)).isNotNull();
    }

    @Test
    void anEmptyListingSaysSoWithoutATable() {
        Rendered empty = Messages.listing("Copies of <b>", new SlackTable("database", "date"), "_no dated copies_", null);
        assertThat(empty.text()).isEqualTo("*Copies of &lt;b&gt;*\n_no dated copies_");
        assertThat(empty.blocks()).noneMatch(b -> b instanceof TableBlock);
    }

    @Test
    void rowsBeyondSlacksLimitGiveWayToAMoreRowAndTheTotalStays() {
        List<DatabaseSize> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) many.add(new DatabaseSize("foodb.dev", "foodb_2026" + String.format("%04d", i), 1L << 30, i == 3));
        TableBlock block = Tables.dbsizes(many).block();
        assertThat(block.rows()).hasSize(SlackTable.MAX_ROWS);
        // header, 97 rows, the "more" row, the total
        assertThat(block.rows().get(97).get(1).text()).isEqualTo("foodb_20260096");
        assertThat(block.rows().get(98)).extracting(TableBlock.Cell::text).containsExactly("… 303 more", "-", "-", "-");
        assertThat(block.rows().get(99)).extracting(TableBlock.Cell::text).containsExactly("total", "400 copies", "400 GB", "-");
        assertThat(SlackBlockRules.problems(blocks(block))).isEmpty();
    }

    @Test
    void cellsBeyondTheCharacterBudgetGiveWayToo() {
        SlackTable t = new SlackTable("a", "b", "c", "d", "e");
        String wide = "x".repeat(SlackTable.MAX_CELL);
        for (int i = 0; i < 60; i++) t.row(wide, wide, wide, wide, wide);
        TableBlock block = t.block();
        int chars = block.rows().stream().flatMap(List::stream).mapToInt(c -> c.text().length()).sum();
        assertThat(chars).isLessThanOrEqualTo(SlackTable.MAX_CHARS);
        // header (5) + 9 rows of 1,000 + "… 51 more" and four blanks
        assertThat(block.rows()).hasSize(11);
        assertThat(block.rows().get(10).get(0).text()).isEqualTo("… 51 more");
    }

    @Test
    void aLongCellIsCutBetweenCharacters() {
        String thumbs = "\uD83D\uDC4D\uD83C\uDFFD".repeat(750); // 3,000 units
        TableBlock block = new SlackTable("name").row(thumbs).block();
        String cell = block.rows().get(1).get(0).text();
        assertThat(cell).isEqualTo("\uD83D\uDC4D\uD83C\uDFFD".repeat(49) + "…");
        assertThat(SlackTextTest.wholeCharacters(cell)).isTrue();
    }

    @Test
    void slacksShapeLimitsAreKept() {
        assertThatThrownBy(() -> new SlackTable(new String[21])).hasMessageContaining("21 columns");
        assertThatThrownBy(() -> new SlackTable("a", "b").row("only one")).hasMessageContaining("row has 1 cells");
        List<LayoutBlock> two = List.of(sizes().block(), sizes().block());
        assertThatThrownBy(() -> new Rendered("x", two)).hasMessageContaining("one a message");
    }

    /** What the test Web API refuses, Slack would: the rules catch what the bot must never send. */
    @Test
    void theLoopbackApiRefusesWhatSlackWould() {
        JsonArray bad = JsonParser.parseString("[{\"type\":\"table\",\"rows\":[[{\"type\":\"raw_text\",\"text\":\"\"}]]},"
                + "{\"type\":\"table\",\"rows\":[[{\"type\":\"raw_text\",\"text\":\"a\"}]]}]").getAsJsonArray();
        assertThat(SlackBlockRules.problems(bad)).containsExactly("/blocks/0/rows/0/0: {\"type\":\"raw_text\",\"text\":\"\"}",
                "2 table blocks: only one table is allowed a message");
    }

    static JsonArray blocks(LayoutBlock... blocks) {
        return JsonParser.parseString(GsonFactory.createSnakeCase().toJson(List.of(blocks))).getAsJsonArray();
    }
}
