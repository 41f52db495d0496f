package org.pgstaging.slack;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which Slack messages belong to which job, kept in {@code state_dir/slack-messages.json} so that
 * after a restart the bot still edits the right message and recognises replies in a job's thread.
 * Holds the newest {@value #MAX_ENTRIES} jobs; older ones are finished and forgotten.
 */
public final class MessageIndex {
    static final int MAX_ENTRIES = 2000;
    static final String FILE = "slack-messages.json";

    /** The request message (its ts is the thread) and the approval card, which may sit in another channel. */
    public record Ref(String channel, String ts, String cardChannel, String cardTs, String completionTs) {
        Ref withCard(String c, String t) { return new Ref(channel, ts, c, t, completionTs); }
        Ref withCompletion(String t) { return new Ref(channel, ts, cardChannel, cardTs, t); }
    }

    private final Path file;
    private final Gson gson = new Gson();
    private final LinkedHashMap<String, Ref> byJob = new LinkedHashMap<>();
    private final Map<String, String> byMessage = new LinkedHashMap<>();

    public MessageIndex(Path stateDir) {
        this.file = stateDir.resolve(FILE);
        load();
    }

    private void load() {
        if (!Files.exists(file)) return;
        try {
            Map<String, Ref> stored = gson.fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeToken<LinkedHashMap<String, Ref>>() { }.getType());
            if (stored != null) stored.forEach(this::putInMemory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new org.pgstaging.PgStagingException("cannot parse " + file + ": " + e.getMessage(),
                    "the file only maps jobs to Slack messages: move it away and restart; old messages will stop updating");
        }
    }

    public synchronized void put(String jobId, Ref ref) {
        putInMemory(jobId, ref);
        while (byJob.size() > MAX_ENTRIES) {
            String oldest = byJob.keySet().iterator().next();
            Ref gone = byJob.remove(oldest);
            byMessage.remove(key(gone.channel(), gone.ts()));
        }
        save();
    }

    private void putInMemory(String jobId, Ref ref) {
        byJob.remove(jobId);
        byJob.put(jobId, ref);
        byMessage.put(key(ref.channel(), ref.ts()), jobId);
    }

    public synchronized Optional<Ref> ref(String jobId) {
        return Optional.ofNullable(byJob.get(jobId));
    }

    /** The job whose request message is {@code ts} in {@code channel}: replies carry it as thread_ts. */
    public synchronized Optional<String> jobOfThread(String channel, String ts) {
        return Optional.ofNullable(byMessage.get(key(channel, ts)));
    }

    private static String key(String channel, String ts) {
        return channel + ":" + ts;
    }

    /** Written to a temporary file and renamed, so a crash never leaves half a file. */
    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.writeString(tmp, gson.toJson(byJob), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " (check state_dir in [slack])", e);
        }
    }
}
