package org.pgstaging.slack;

import com.slack.api.model.block.LayoutBlock;
import java.util.List;

/**
 * A message ready to send: the notification/fallback text (mrkdwn, cut to {@value #TEXT_LIMIT}
 * characters) and its blocks (at most {@value #MAX_BLOCKS}, at most one table block).
 */
public record Rendered(String text, List<LayoutBlock> blocks) {
    public static final int MAX_BLOCKS = 50;
    /** Slack advises keeping a message's text within 4,000 characters (it cuts it at 40,000). */
    public static final int TEXT_LIMIT = 4000;

    public Rendered {
        if (blocks.size() > MAX_BLOCKS) {
            throw new IllegalArgumentException(blocks.size() + " blocks, Slack accepts " + MAX_BLOCKS);
        }
        if (blocks.stream().filter(b -> TableBlock.TYPE.equals(b.getType())).count() > 1) {
            throw new IllegalArgumentException("more than one table block: Slack takes one a message");
        }
        text = Mrkdwn.cut(text, TEXT_LIMIT);
        blocks = List.copyOf(blocks);
    }
}
