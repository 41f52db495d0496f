package org.pgstaging.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.pgstaging.config.Section;
import org.pgstaging.job.store.ChangeLog;
import org.pgstaging.job.store.JobStore;
import org.pgstaging.job.store.StateLocation;
import org.pgstaging.job.store.ServerKey;
import org.pgstaging.postgres.PostgresServerAddress;
import org.pgstaging.postgres.ServerLock;
import org.pgstaging.restore.RestoreEvent;
import org.pgstaging.restore.RestoreListener;
import org.pgstaging.restore.Step;

/**
 * One change at a time per database server, whoever asks (a console, a script, the bot, on any
 * machine): a change runs holding its server's {@link ServerLock}, waits its turn saying what runs
 * and how many wait before it (unless --no-wait), and is recorded in the history of changes.
 */
final class ServerTurn {
    private final VerbContext c;
    /** Where changes are recorded; null: nowhere (tests, the engine alone). */
    private final Supplier<ChangeLog> history;

    ServerTurn(VerbContext c, Supplier<ChangeLog> history) {
        this.c = c;
        this.history = history;
    }

    /**
     * Runs a change of the section's database server holding that server's lock, so that one
     * change at a time runs there whoever asks: a console, a script or the bot, on any machine.
     * Waits its turn, saying what runs and how many wait before it, unless --no-wait; a dry run
     * changes nothing and takes no turn.
     */
    /** Kinds of change whose first steps read before they write (see {@link ChangeRecording#start}). */
    private static final java.util.Set<String> READS_FIRST = java.util.Set.of("restore", "load", "fetch");

    <T> T exclusive(String sectionName, String kind, Object date, RestoreListener l,
                     Function<RestoreListener, T> change) {
        if (c.options().dryRun()) return change.apply(l);
        Section s = c.targets().section(sectionName);
        String what = kind + " " + s.name() + (date == null ? "" : " " + date);
        // the history opens beside the lock: on a console it is the first use of its file
        CompletableFuture<ChangeLog> changes = history == null ? null
                : CompletableFuture.supplyAsync(history, work -> StagingService.startDaemon("pgstaging-history", work));
        RestoreListener out = c.both(l);
        ServerLock lock = new ServerLock(new PostgresServerAddress(s.host(), s.postgresPort(), s.dbuser()), s.maintdb());
        long[] waitStart = {0};
        try (ServerLock.Held held = lock.take(what, c.options().actor(), c.options().noWait(), (holder, ahead) -> {
            String line = "behind " + holder.describe() + (ahead.isEmpty() ? "" : "; " + ahead.size() + " more ahead")
                    + estimatedStart(changes, holder, ahead);
            if (waitStart[0] == 0) {
                waitStart[0] = System.nanoTime();
                out.on(new RestoreEvent.StepStarted(s.name(), Step.WAITING, line));
            } else {
                out.on(new RestoreEvent.Detail(s.name(), Step.WAITING, line));
            }
        })) {
            if (waitStart[0] != 0) {
                out.on(new RestoreEvent.StepFinished(s.name(), Step.WAITING, Duration.ofNanos(System.nanoTime() - waitStart[0]),
                        "the server is free: " + what));
            }
            if (changes == null) return change.apply(l);
            ChangeRecording recording = ChangeRecording.start(changes, kind, s.name(),
                    date == null ? null : date.toString(), ServerKey.of(s).toString(), c.options().actor());
            // only restores have read-only work (listing, checks, catalog) to do while the history opens
            if (!READS_FIRST.contains(kind)) recording.awaitStart();
            try {
                // the service's own c.listener() hears every event once: the watcher forwards only to another one
                T result = change.apply(recording.watching(l == null || l == c.listener() ? RestoreListener.NONE : l));
                recording.done(result);
                return result;
            } catch (RuntimeException | Error e) {
                recording.failed(e, Thread.currentThread().isInterrupted());
                throw e;
            }
        }
    }

    /**
     * What runs and waits on the servers of {@code sectionNames} (each named once, with every
     * configured section it serves), in configuration order; a server that cannot be asked says
     * why instead of failing the others.
     */
    List<ServerActivity> activity(List<String> sectionNames) {
        java.util.Set<ServerKey> wanted = new java.util.HashSet<>();
        for (String name : sectionNames) wanted.add(ServerKey.of(c.targets().section(name)));
        Map<ServerKey, List<Section>> byServer = new LinkedHashMap<>();
        for (Section s : c.targets().config().sections()) {
            if (wanted.contains(ServerKey.of(s))) byServer.computeIfAbsent(ServerKey.of(s), k -> new ArrayList<>()).add(s);
        }
        ChangeLog log = null;
        // what the bot queued and has not started yet: not on any server's lock, only in its store
        Map<String, List<org.pgstaging.job.store.Job>> botQueued = new java.util.HashMap<>();
        if (history != null) {
            JobStore.queuedIn(StateLocation.of(c.targets().config())).orElse(List.of())
                    .forEach(j -> botQueued.computeIfAbsent(j.serverKey(), k -> new ArrayList<>()).add(j));
        }
        List<ServerActivity> out = new ArrayList<>();
        for (Map.Entry<ServerKey, List<Section>> e : byServer.entrySet()) {
            Section s = e.getValue().get(0);
            List<String> names = e.getValue().stream().map(Section::name).toList();
            List<ServerLock.Holder> queue;
            try {
                queue = new ServerLock(new PostgresServerAddress(s.host(), s.postgresPort(), s.dbuser()), s.maintdb()).queue();
            } catch (RuntimeException failed) {
                out.add(new ServerActivity(e.getKey().toString(), names, List.of(), failed.getMessage()));
                continue;
            }
            if (log == null && history != null && queue.size() > 1) {
                log = opened(history);
            }
            List<ServerActivity.Turn> turns = new ArrayList<>(turns(queue, log));
            for (org.pgstaging.job.store.Job j : botQueued.getOrDefault(e.getKey().toString(), List.of())) {
                turns.add(new ServerActivity.Turn(Math.max(1, turns.size()), j.kind().code() + " " + j.section()
                        + (j.dateSpec() == null ? "" : " " + j.dateSpec()) + " (queued in the bot)", JobExecution.actor(j),
                        j.approvedAt() == null ? j.requestedAt() : j.approvedAt(), null, Long.toString(j.id())));
            }
            out.add(new ServerActivity(e.getKey().toString(), names, turns, null));
        }
        return out;
    }

    private static List<ServerActivity.Turn> turns(List<ServerLock.Holder> queue, ChangeLog log) {
        ServerLock.Holder holder = queue.stream().filter(ServerLock.Holder::granted).findFirst().orElse(null);
        List<ServerLock.Holder> waiters = queue.stream().filter(h -> !h.granted()).toList();
        List<ServerActivity.Turn> turns = new ArrayList<>();
        if (holder != null) {
            turns.add(new ServerActivity.Turn(0, holder.what(), holder.by(), holder.since(), null, JobExecution.jobOf(holder.by())));
        }
        for (int i = 0; i < waiters.size(); i++) {
            ServerLock.Holder w = waiters.get(i);
            Instant start = holder == null || log == null ? null
                    : StartEstimate.of(log, holder, waiters.subList(0, i)).orElse(null);
            turns.add(new ServerActivity.Turn(i + 1, w.what(), w.by(), w.since(), start, JobExecution.jobOf(w.by())));
        }
        return turns;
    }

    /** "; estimated start HH:MM" from the history of such changes, or nothing when it has none. */
    static String estimatedStart(CompletableFuture<ChangeLog> changes, ServerLock.Holder holder,
                                         List<ServerLock.Holder> ahead) {
        ChangeLog log = opened(changes);
        if (log == null) return "";
        return StartEstimate.of(log, holder, ahead).map(at -> "; estimated start "
                + DateTimeFormatter.ofPattern("HH:mm").format(at.atZone(ZoneId.systemDefault())))
                .orElse("");
    }

    /** The history once open; null (said in the log) when it cannot be: a change never fails for its audit. */
    static ChangeLog opened(CompletableFuture<ChangeLog> changes) {
        return changes == null ? null : opened(changes::join);
    }

    /** The history {@code open} gives; null (said in the log) when it cannot be opened. */
    private static ChangeLog opened(Supplier<ChangeLog> open) {
        try {
            return open.get();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(StagingService.class).warn("history not written: {}",
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            return null;
        }
    }
}
