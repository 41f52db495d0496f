package org.pgstaging.slack;

import com.slack.api.model.block.LayoutBlock;
import java.util.List;

/** A message ready to send: the notification/fallback text and its blocks (at most 50). */
public record Rendered(String text, List<LayoutBlock> blocks) {
    public static final int MAX_BLOCKS = 50;

    public Rendered {
        if (blocks.size() > MAX_BLOCKS) {
            throw new IllegalArgumentException(blocks.size() + " blocks, Slack accepts " + MAX_BLOCKS);
        }
        blocks = List.copyOf(blocks);
    }
}
