package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pgstaging.testkit.Gate;
import org.pgstaging.testkit.PostgresServer;
import org.pgstaging.testkit.SlackApiServer;
import org.pgstaging.testkit.SlackRequests;
import org.pgstaging.testkit.StagingSandbox;

/**
 * {@code pgstaging bot} with {@code log_format = json}, in a process of its own whose stderr is the
 * log: a restore runs through it, and every line must be a JSON object, every line from the job's
 * start to its end naming the job, its server, section and Slack user, and no secret anywhere.
 */
class JsonLogEndToEndTest {
    static final String BOT_TOKEN = "xoxb-7777-8888-pgstagingjsonlog";
    static final String SECRET = "9a8b7c6d5e4f30211203f4e5d6c7b8a9";
    static final String CHANNEL = "C0JSONLOG";
    static final String ALICE = "U0ALICE";
    static final Duration LONG = Duration.ofSeconds(90);
    static final Pattern STARTED = Pattern.compile("job #(\\d+) started: restore jsonlogdb\\.dev");

    @Test
    void everyLineIsJsonAndTheJobsLinesNameTheJob() throws Exception {
        try (StagingSandbox sandbox = StagingSandbox.start(StagingSandbox.Web.NGINX);
             SlackApiServer api = SlackApiServer.start(BOT_TOKEN, "xapp-1-unused")) {
            sandbox.publishDump("jsonlogdb", LocalDate.now(ZoneOffset.UTC));
            String ini = Files.readString(sandbox.writeConfig("jsonlogdb", "approval = none"), StandardCharsets.UTF_8);
            int port = PostgresServer.freePort();
            Path botIni = sandbox.dir.resolve("bot.ini");
            Files.writeString(botIni, ini.substring(0, ini.lastIndexOf("\n[slack]")) + "\n[slack]\nmode = http\nhttp_port = " + port
                    + "\nbot_token = " + BOT_TOKEN + "\nsigning_secret = " + SECRET + "\napi_url = " + api.apiUrl()
                    + "\nstate_dir = " + sandbox.dir.resolve("state") + "\nchannels = " + CHANNEL + "\nrequesters = " + ALICE
                    + "\napprovers = U0CAROL\nlog_format = json\n", StandardCharsets.UTF_8);
            api.user(ALICE, "alice");
            // a 429 on an edit of the job's message: the throttle logs it from a thread of its own
            api.rateLimit("chat.update", 1, 1);
            Path log = sandbox.dir.resolve("bot.log");
            try (BotProcessE2E bot = BotProcessE2E.start(botIni, port, log, LONG)) {
                SlackRequests slack = new SlackRequests(SECRET);
                HttpResponse<String> ack = slack.send(bot.eventsUri(), slack.signForm(slack.slashCommand(ALICE, CHANNEL,
                        "/pgstaging", "restore jsonlogdb.dev", api.responseUrl())));
                assertThat(ack.statusCode()).isEqualTo(200);
                Gate.await("the job to end\n" + bot.output(), LONG, () -> bot.output().contains("ended: "));
                Gate.await("the rate-limited edit to be logged", LONG, () -> bot.output().contains("chat.update rate limited"));
            }

            List<JsonObject> lines = new ArrayList<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                JsonElement parsed;
                try {
                    parsed = JsonParser.parseString(line);
                } catch (RuntimeException e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
                assertThat(parsed.isJsonObject()).as(line).isTrue();
                JsonObject o = parsed.getAsJsonObject();
                assertThat(o.keySet()).as(line).contains("time", "level", "logger", "thread", "message");
                lines.add(o);
            }
            assertThat(String.join("\n", Files.readAllLines(log))).doesNotContain(BOT_TOKEN).doesNotContain(SECRET)
                    .contains("pgstaging bot running in http mode");

            int start = -1;
            String jobId = null;
            for (int i = 0; i < lines.size() && start < 0; i++) {
                Matcher m = STARTED.matcher(lines.get(i).get("message").getAsString());
                if (m.find()) {
                    start = i;
                    jobId = m.group(1);
                }
            }
            assertThat(start).as("the job's start is logged").isNotNegative();
            String ended = "job #" + jobId + " ended: done";
            int end = start;
            while (end < lines.size() && !lines.get(end).get("message").getAsString().equals(ended)) end++;
            assertThat(end).as("'" + ended + "' is logged").isLessThan(lines.size());
            String server = "127.0.0.1:" + sandbox.pg.port();
            for (JsonObject line : lines.subList(start, end + 1)) {
                assertJobContext(line, jobId, server);
            }
            JsonObject limited = lines.stream().filter(l -> l.get("message").getAsString().startsWith("chat.update rate limited"))
                    .findFirst().orElseThrow();
            assertThat(limited.get("thread").getAsString()).startsWith("pgstaging-slack-edits");
            assertJobContext(limited, jobId, server);
        }
    }

    private static void assertJobContext(JsonObject line, String jobId, String server) {
        assertThat(line.has("job_id") ? line.get("job_id").getAsString() : null).as(line.toString()).isEqualTo(jobId);
        assertThat(line.has("server") ? line.get("server").getAsString() : null).as(line.toString()).isEqualTo(server);
        assertThat(line.has("section") ? line.get("section").getAsString() : null).as(line.toString()).isEqualTo("jsonlogdb.dev");
        assertThat(line.has("user") ? line.get("user").getAsString() : null).as(line.toString()).isEqualTo(ALICE);
    }
}
