package org.pgstaging.slack;

import com.slack.api.model.block.LayoutBlock;
import java.util.List;

/**
 * Slack's {@code table} block, which slack-api-model 1.47.0 has no class for. Bolt's Gson writes it
 * like its own blocks (snake_case, nulls left out):
 * {@code {"type":"table","column_settings":[{"is_wrapped":true},{"align":"right"}],"rows":[[{"type":"raw_text","text":"Name"},…]]}}.
 * Built by {@link SlackTable}, which keeps it within Slack's limits.
 */
record TableBlock(String type, String blockId, List<ColumnSetting> columnSettings, List<List<Cell>> rows)
        implements LayoutBlock {
    static final String TYPE = "table";

    /** {@code align} left, center or right; {@code is_wrapped} lets long cells wrap. */
    record ColumnSetting(String align, Boolean isWrapped) { }

    /** A {@code raw_text} cell: shown as given, like plain_text; Slack wants at least one character. */
    record Cell(String type, String text) {
        static Cell raw(String text) {
            return new Cell("raw_text", text);
        }
    }

    @Override
    public String getType() {
        return type;
    }

    @Override
    public String getBlockId() {
        return blockId;
    }

    /** True when Slack would take it back as it is: raw_text cells with text, within the limits. */
    boolean wellFormed() {
        return TYPE.equals(type) && rows != null && !rows.isEmpty() && rows.size() <= SlackTable.MAX_ROWS
                && rows.stream().allMatch(r -> r != null && !r.isEmpty() && r.size() <= SlackTable.MAX_COLUMNS
                && r.stream().allMatch(c -> c != null && "raw_text".equals(c.type()) && c.text() != null && !c.text().isEmpty()));
    }
}
