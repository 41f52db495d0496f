package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.slack.api.util.json.GsonFactory;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.testkit.ViewLimits;

/** The request form's content at the edges of Slack's limits: many sections, many backups, odd names. */
class RequestFormTest {
    static JsonObject json(RequestForm.State state, List<String> sections) {
        return GsonFactory.createSnakeCase().toJsonTree(RequestForm.form(sections, state, "/pgstaging")).getAsJsonObject();
    }

    static JsonObject element(JsonObject view, String blockId) {
        for (var b : view.getAsJsonArray("blocks")) {
            JsonObject o = b.getAsJsonObject();
            if (o.has("block_id") && o.get("block_id").getAsString().equals(blockId)) return o.getAsJsonObject("element");
        }
        throw new AssertionError("no block " + blockId);
    }

    /** Every mrkdwn text of a view: what Slack parses for markup (plain_text, values and ids are shown or kept as they are). */
    static List<String> mrkdwn(JsonElement e) {
        List<String> out = new ArrayList<>();
        if (e.isJsonArray()) e.getAsJsonArray().forEach(x -> out.addAll(mrkdwn(x)));
        if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("type") && o.get("type").isJsonPrimitive() && "mrkdwn".equals(o.get("type").getAsString())) out.add(o.get("text").getAsString());
            o.entrySet().forEach(x -> out.addAll(mrkdwn(x.getValue())));
        }
        return out;
    }

    @Test
    void moreSectionsThanAMenuHoldsComeInGroupsOfAHundred() {
        List<String> sections = IntStream.range(0, 250).mapToObj(i -> String.format("db%03d.dev", i)).toList();
        JsonObject view = json(RequestForm.State.empty(null), sections);
        assertThat(ViewLimits.problems(view)).isEmpty();
        JsonArray groups = element(view, ActionIds.REQUEST_SECTION_BLOCK).getAsJsonArray("option_groups");
        assertThat(groups).hasSize(3);
        assertThat(groups.get(0).getAsJsonObject().getAsJsonObject("label").get("text").getAsString()).isEqualTo("db000.dev … db099.dev");
        assertThat(groups.get(2).getAsJsonObject().getAsJsonArray("options")).hasSize(50);
        assertThat(element(view, ActionIds.REQUEST_CHANNEL_BLOCK).get("default_to_current_conversation").getAsBoolean()).isTrue();
    }

    @Test
    void theNewestBackupsComeFirstUnderLatestAndOlderOnesAreReachedByTheCommand() {
        List<BackupFile> files = IntStream.range(0, 150).mapToObj(i -> LocalDate.of(2026, 1, 1).plusDays(i))
                .map(d -> new BackupFile("foodb", d, "foodb." + d + ".dump", URI.create("http://b/foodb." + d + ".dump"), OptionalLong.of(1L << 30)))
                .toList();
        String hostile = "<!here> & co 🐘";
        RequestForm.State state = new RequestForm.State(hostile, RequestForm.Listing.of(files), "2026-05-30", null, "C0STAGING");
        JsonObject view = json(state, List.of(hostile));
        assertThat(ViewLimits.problems(view)).isEmpty();
        JsonObject dates = element(view, RequestForm.dateBlock(hostile));
        JsonArray options = dates.getAsJsonArray("options");
        assertThat(options).hasSize(RequestForm.MAX_OPTIONS);
        assertThat(options.get(0).getAsJsonObject().get("value").getAsString()).isEqualTo("latest");
        assertThat(options.get(0).getAsJsonObject().getAsJsonObject("text").get("text").getAsString()).isEqualTo("latest · 2026-05-30 · 1.0 GB");
        assertThat(options.get(1).getAsJsonObject().get("value").getAsString()).isEqualTo("2026-05-30");
        assertThat(dates.getAsJsonObject("initial_option").get("value").getAsString()).isEqualTo("2026-05-30");
        String text = String.join("\n", mrkdwn(view));
        assertThat(text).contains("The newest 99 of 150 backup days; for an older one: `/pgstaging restore &lt;!here&gt; &amp; co 🐘 YYYY-MM-DD`")
                .contains(":hourglass_flowing_sand: Working out what this restore would do…").doesNotContain("<!here>");
        // every option value is a date the command takes
        options.forEach(o -> DateSpec.parse(o.getAsJsonObject().get("value").getAsString()));
    }

    @Test
    void aListingThatFailedOrFoundNothingSaysSoAndOffersNoBackup() {
        JsonObject failed = json(new RequestForm.State("foodb.dev", RequestForm.Listing.failed("HTTP 403 <forbidden>"), null, null, null),
                List.of("foodb.dev"));
        assertThat(failed.toString()).contains(":warning: Cannot list the backups of *foodb.dev*: HTTP 403 &lt;forbidden&gt;")
                .doesNotContain(ActionIds.REQUEST_DATE_BLOCK);
        JsonObject none = json(new RequestForm.State("foodb.dev", RequestForm.Listing.of(List.of()), null, null, null), List.of("foodb.dev"));
        assertThat(none.toString()).contains("No backup of *foodb.dev* was found.");
        assertThat(ViewLimits.problems(failed)).isEmpty();
        assertThat(ViewLimits.problems(none)).isEmpty();
    }
}
