package org.pgstaging.slack;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.pgstaging.PgStagingException;
import org.pgstaging.job.DatabaseInfo;
import org.pgstaging.job.JobService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the handlers share: settings, backend, Slack access, and the executor slow work runs on after the ack. */
public record BotContext(SlackSettings settings, JobService backend, SlackPoster poster, AccessPolicy access,
                         UserNames names, MessageIndex index, JobMessenger messenger, ExecutorService executor,
                         Clock clock) {
    private static final Logger log = LoggerFactory.getLogger(BotContext.class);

    /** Runs after the ack; errors reach the user through {@code onError}, never as a late HTTP response. */
    public boolean later(Runnable work, java.util.function.Consumer<Rendered> onError) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (Refused e) {
                    onError.accept(e.message());
                } catch (PgStagingException e) {
                    onError.accept(Messages.error(e.getMessage(), e.hint()));
                } catch (RuntimeException e) {
                    log.error("Slack request failed", e);
                    onError.accept(Messages.error("pgstaging failed unexpectedly: " + e, "see the bot's log"));
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The section of that name, checked by the job layer (unknown: the nearest ones in the hint). */
    public String section(String name) {
        return backend.section(name);
    }

    /** The copy the alias points to, if any. */
    public Optional<DatabaseInfo> active(String section) {
        return backend.databases(section).stream().filter(DatabaseInfo::active).findFirst();
    }
}
