package org.pgstaging.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.bolt.App;
import com.slack.api.model.event.AppHomeOpenedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pgstaging.job.JobListener;
import org.pgstaging.job.JobView;
import org.pgstaging.job.ServerActivity;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.model.JobMessages;
import org.pgstaging.restore.RestoreEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Home tab of the people who opened it recently in step with the jobs: publishes it when
 * they open it (app_home_opened) and again as jobs move, at most once per viewer every
 * {@link #INTERVAL} (the changes in between make one publish), reading what every viewer sees once
 * per round. Viewers are remembered in memory only, for {@link #WATCH} after they last opened the
 * tab and at most {@link #MAX_VIEWERS} of them: someone who has not looked for a while gets the
 * fresh tab when they open it again.
 */
final class HomeRefresher implements JobListener {
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final Duration WATCH = Duration.ofMinutes(30);
    static final int MAX_VIEWERS = 1000;
    private static final Logger log = LoggerFactory.getLogger(HomeRefresher.class);

    private final BotContext bot;
    /** One thread: rounds never overlap, and a slow database server delays the Home tab, not the job messages. */
    private final ScheduledExecutorService rounds;
    private final long intervalMillis;
    private final Cache<String, Viewer> viewers;
    /** Bumped by every job change: a viewer whose tab shows an older generation is stale. Guarded by this. */
    private long generation;
    /** When the next round is due (Long.MAX_VALUE: none scheduled). Guarded by this. */
    private long nextRound = Long.MAX_VALUE;

    /** One viewer's tab: the generation it shows and when it was last published. Guarded by the refresher. */
    private static final class Viewer {
        long shown = -1;
        long publishedAt = Long.MIN_VALUE / 2;
    }

    HomeRefresher(BotContext bot, ScheduledExecutorService rounds, Duration interval) {
        this.bot = bot;
        this.rounds = rounds;
        this.intervalMillis = interval.toMillis();
        this.viewers = Caffeine.newBuilder().expireAfterWrite(WATCH).maximumSize(MAX_VIEWERS).build();
    }

    void register(App app) {
        app.event(AppHomeOpenedEvent.class, (req, ctx) -> {
            AppHomeOpenedEvent e = req.getEvent();
            // the event also comes for the Messages tab, which the bot does not use
            if ("home".equals(e.getTab()) && e.getUser() != null) opened(e.getUser());
            return ctx.ack();
        });
    }

    /** {@code userId} opened the tab: it is published at once, unless it was a moment ago. */
    void opened(String userId) {
        synchronized (this) {
            // compute is a write: the viewer is watched for WATCH from now
            viewers.asMap().compute(userId, (k, v) -> {
                Viewer viewer = v == null ? new Viewer() : v;
                viewer.shown = -1;
                return viewer;
            });
        }
        schedule();
    }

    @Override
    public void jobChanged(JobView job) {
        moved();
    }

    @Override
    public void jobProgress(JobView job, RestoreEvent event) {
        if (!(event instanceof RestoreEvent.Detail)) moved(); // detail lines do not show on the tab
    }

    /** Another replica sharing the state moved a job: its events never reach this one. */
    @Override
    public void jobsMoved() {
        moved();
    }

    private void moved() {
        synchronized (this) {
            if (viewers.estimatedSize() == 0) return;
            generation++;
        }
        schedule();
    }

    /** Schedules a round for the first stale viewer's turn, unless one comes by then. */
    private void schedule() {
        long at = Long.MAX_VALUE;
        synchronized (this) {
            for (Viewer v : viewers.asMap().values()) {
                if (v.shown < generation) at = Math.min(at, v.publishedAt + intervalMillis);
            }
            if (at == Long.MAX_VALUE || at >= nextRound) return;
            nextRound = at;
        }
        long delay = Math.max(0, at - bot.clock().millis());
        try {
            rounds.schedule(this::round, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            log.debug("Home tab refresh not scheduled: the bot is stopping");
        }
    }

    private void round() {
        List<String> due = new ArrayList<>();
        synchronized (this) {
            nextRound = Long.MAX_VALUE;
            long now = bot.clock().millis();
            for (Map.Entry<String, Viewer> e : viewers.asMap().entrySet()) {
                Viewer v = e.getValue();
                if (v.shown >= generation || v.publishedAt + intervalMillis > now) continue;
                v.shown = generation;
                v.publishedAt = now;
                due.add(e.getKey());
            }
        }
        try {
            if (!due.isEmpty()) {
                HomeTab.Board board = board();
                for (String user : due) publish(user, board);
            }
        } finally {
            schedule(); // whoever became stale meanwhile, or was not due yet
        }
    }

    /** What every viewer sees, read once a round; what cannot be read is said on the tab instead. */
    private HomeTab.Board board() {
        List<String> problems = new ArrayList<>();
        List<ServerActivity> servers = read(() -> bot.backend().activity(List.of()), problems);
        List<JobView> queue = read(() -> bot.backend().queue(), problems);
        List<Change> history = read(() -> bot.backend().history(null, HomeTab.HISTORY), problems);
        return new HomeTab.Board(servers, queue, history, problems.isEmpty() ? null : String.join("; ", problems),
                bot.clock().instant());
    }

    private static <T> List<T> read(java.util.function.Supplier<List<T>> what, List<String> problems) {
        try {
            return what.get();
        } catch (RuntimeException e) {
            problems.add(e.getMessage() == null ? e.toString() : e.getMessage());
            return List.of();
        }
    }

    private void publish(String userId, HomeTab.Board board) {
        try {
            List<HomeTab.OwnRequest> own = bot.backend().requestsOf(userId, HomeTab.OWN_REQUESTS).stream()
                    .map(j -> new HomeTab.OwnRequest(j, bot.index().ref(j.id()).map(JobMessages::channel).orElse(null)))
                    .toList();
            var view = HomeTab.view(board, own, bot.access().refuseRequester(userId), bot.settings().command(),
                    new HomeTab.Lookups(bot.messenger()::progress, bot.names()::name));
            bot.poster().publishHome(userId, view);
        } catch (RuntimeException e) {
            log.warn("Could not publish the Home tab of {}: {}", userId, e.getMessage());
        }
    }
}
