package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.UnknownBlock;
import com.slack.api.util.json.GsonFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The clicked message's blocks, read back with its table block whole, from a click as Slack sends
 * it over HTTP ({@code payload=…}) and in Socket Mode (the payload's JSON).
 */
class ClickedBlocksTest {
    static final String SECTION = "{\"type\":\"section\",\"block_id\":\"a1\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*Compared with*\"}}";
    static final String TABLE = "{\"type\":\"table\",\"block_id\":\"t1\",\"column_settings\":[{\"is_wrapped\":true},{\"align\":\"right\"}],"
            + "\"rows\":[[{\"type\":\"raw_text\",\"text\":\"copy\"},{\"type\":\"raw_text\",\"text\":\"foodb_20261124\"}],"
            + "[{\"type\":\"raw_text\",\"text\":\"<!channel> & size\"},{\"type\":\"raw_text\",\"text\":\"3.1 GB\"}]]}";

    static String payload(String... blocks) {
        return "{\"type\":\"block_actions\",\"user\":{\"id\":\"U0ALICE\"},\"message\":{\"type\":\"message\",\"ts\":\"1700000000.000100\","
                + "\"blocks\":[" + String.join(",", blocks) + "]},\"actions\":[{\"action_id\":\"copy_switch\",\"value\":\"foodb.dev|foodb_20261124\"}]}";
    }

    /** The blocks as Bolt reads them from the payload: the table as an UnknownBlock. */
    static List<LayoutBlock> bolt(String payload) {
        return GsonFactory.createSnakeCase().fromJson(payload, BlockActionPayload.class).getMessage().getBlocks();
    }

    @Test
    void theTableComesBackWholeOverHttpAndSocketMode() {
        String payload = payload(SECTION, TABLE);
        List<LayoutBlock> parsed = bolt(payload);
        assertThat(parsed.get(1)).isInstanceOf(UnknownBlock.class);
        String form = "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
        for (String body : List.of(form, payload)) {
            List<LayoutBlock> blocks = ClickedBlocks.of(body, parsed);
            assertThat(blocks.get(0)).isInstanceOf(SectionBlock.class);
            JsonArray sent = JsonParser.parseString(GsonFactory.createSnakeCase().toJson(blocks)).getAsJsonArray();
            assertThat(sent.get(1)).isEqualTo(JsonParser.parseString(TABLE));
        }
    }

    @Test
    void whatCannotBeReadBackIsLeftOutRatherThanSentBroken() {
        JsonObject richCell = JsonParser.parseString(TABLE).getAsJsonObject();
        richCell.getAsJsonArray("rows").get(1).getAsJsonArray().get(1).getAsJsonObject().addProperty("text", "");
        String payload = payload(SECTION, richCell.toString(), "{\"type\":\"carousel\",\"block_id\":\"c1\"}");
        assertThat(ClickedBlocks.of(payload, bolt(payload))).hasSize(1).first().isInstanceOf(SectionBlock.class);
        assertThat(ClickedBlocks.of(null, bolt(payload(SECTION, TABLE)))).hasSize(1);
        assertThat(ClickedBlocks.of("payload=%7Bnot-json", bolt(payload(SECTION, TABLE)))).hasSize(1);
    }
}
