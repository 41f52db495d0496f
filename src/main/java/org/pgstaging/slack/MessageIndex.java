package org.pgstaging.slack;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.JobService;
import org.pgstaging.job.model.JobMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Slack messages belong to which job, kept by the job layer in the state store (H2 files in
 * state_dir, or the state database of state_url), so that after a restart, or on another bot on the
 * same state, the right message is edited and replies in a job's thread are recognised. A
 * {@code state_dir/slack-messages.json} of older versions is imported once, then renamed
 * {@code slack-messages.json.imported}.
 */
public final class MessageIndex {
    static final String FILE = "slack-messages.json";
    static final String IMPORTED = FILE + ".imported";
    private static final Logger log = LoggerFactory.getLogger(MessageIndex.class);

    private final JobService backend;

    public MessageIndex(Path stateDir, JobService backend) {
        this.backend = backend;
        importOnce(stateDir.resolve(FILE));
    }

    public void put(String jobId, JobMessages ref) {
        backend.putMessages(jobId, ref);
    }

    public Optional<JobMessages> ref(String jobId) {
        return backend.messages(jobId);
    }

    /** The job whose request message is {@code ts} in {@code channel}: replies carry it as thread_ts. */
    public Optional<String> jobOfThread(String channel, String ts) {
        return backend.jobOfThread(channel, ts);
    }

    /** The file's entries in their order (oldest first, as it kept them), then the file set aside. */
    private void importOnce(Path file) {
        if (!Files.exists(file)) return;
        Map<String, JobMessages> stored;
        try {
            stored = new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeToken<LinkedHashMap<String, JobMessages>>() { }.getType());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (check state_dir in [slack])", e);
        } catch (JsonParseException e) {
            throw new PgStagingException("cannot parse " + file + " to import it: " + e.getMessage(),
                    "the file only maps jobs to Slack messages: move it away and restart; its jobs' old messages will stop updating");
        }
        if (stored != null) stored.forEach(backend::putMessages);
        try {
            Files.move(file, file.resolveSibling(IMPORTED), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("imported " + file + " but cannot rename it to " + IMPORTED
                    + " (check that state_dir is writable)", e);
        }
        log.info("Imported the Slack messages of {} jobs from {} into the state store; the file is now {}",
                stored == null ? 0 : stored.size(), file, IMPORTED);
    }
}
