package org.pgstaging.slack;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.util.JsonPayloadExtractor;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.UnknownBlock;
import com.slack.api.util.json.GsonFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The blocks of the message a button was clicked on, to send it back changed. Bolt reads blocks it
 * has no class for, such as our table block, as {@link UnknownBlock}s holding only their type,
 * which Slack would refuse: those are read again from the payload as Slack sent it.
 */
final class ClickedBlocks {
    private static final Gson GSON = GsonFactory.createSnakeCase();

    private ClickedBlocks() {}

    /**
     * {@code parsed} (Bolt's reading of the message) with its table block whole again; a block that
     * cannot be read back is left out rather than sent broken.
     *
     * @param requestBody the click as Slack sent it: {@code payload=…} over HTTP, the payload's
     *                    JSON in Socket Mode
     */
    static List<LayoutBlock> of(String requestBody, List<LayoutBlock> parsed) {
        if (parsed == null) return List.of();
        List<JsonObject> raw = rawBlocks(requestBody);
        List<LayoutBlock> out = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            LayoutBlock b = parsed.get(i);
            if (!(b instanceof UnknownBlock)) {
                out.add(b);
            } else if (TableBlock.TYPE.equals(b.getType()) && raw.size() == parsed.size()) {
                table(raw.get(i)).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<TableBlock> table(JsonObject block) {
        try {
            TableBlock t = GSON.fromJson(block, TableBlock.class);
            return t != null && t.wellFormed() ? Optional.of(t) : Optional.empty();
        } catch (JsonParseException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static List<JsonObject> rawBlocks(String requestBody) {
        if (requestBody == null || requestBody.isBlank()) return List.of();
        String json = requestBody.trim().startsWith("{") ? requestBody : new JsonPayloadExtractor().extractIfExists(requestBody);
        if (json == null) return List.of();
        try {
            JsonObject payload = JsonParser.parseString(json).getAsJsonObject();
            if (!payload.has("message") || !payload.getAsJsonObject("message").has("blocks")) return List.of();
            List<JsonObject> blocks = new ArrayList<>();
            for (JsonElement e : payload.getAsJsonObject("message").getAsJsonArray("blocks")) blocks.add(e.getAsJsonObject());
            return blocks;
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            return List.of();
        }
    }
}
