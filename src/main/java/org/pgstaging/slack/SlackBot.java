package org.pgstaging.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pgstaging.job.JobService;
import org.pgstaging.job.JobPolicy;
import org.pgstaging.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack face of pgstaging: builds the Bolt app, registers the handlers and runs it in Socket
 * Mode (an outgoing WebSocket, no public URL) or behind {@link SlackHttpServer}. All it knows of the
 * rest of pgstaging is the {@link JobService}.
 */
public final class SlackBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SlackBot.class);
    /** How long {@link #close()} waits for posts in progress (a job's last notice, a reply). */
    static final int DRAIN_SECONDS = 10;
    /** Edits of one message: at most one per this, well under Slack's one a second. */
    static final Duration EDIT_INTERVAL = Duration.ofSeconds(3);

    private final SlackSettings settings;
    private final App app;
    private final BotContext context;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService homeRounds;
    private volatile boolean started;
    private final Metrics metrics;
    private final SlackMetrics slackMetrics;
    private final SlackHealth health;
    private final ApiRateLimits limits;
    private final PostQueue posts;
    private final MessageThrottle throttle;
    private final Clock clock;
    private SlackHttpServer http;
    private SocketModeConnection socket;
    private MetricsHttpServer metricsServer;

    /** A bot whose /metrics shows only its own meters: see {@link #SlackBot(SlackSettings, JobService, Clock, Metrics)}. */
    public SlackBot(SlackSettings settings, JobService backend, Clock clock) {
        this(settings, backend, clock, Metrics.ownOnly());
    }

    /** A bot recording in {@code metrics} and serving them on /metrics (not closed with the bot). */
    public SlackBot(SlackSettings settings, JobService backend, Clock clock, Metrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.slackMetrics = new SlackMetrics(metrics.registry());
        this.health = new SlackHealth(clock);
        slackMetrics.health(health);
        this.limits = new ApiRateLimits(clock);
        this.app = SlackAppFactory.create(settings, clock, slackMetrics, new WebApiInterceptor(limits, slackMetrics, health));
        // after the signature check and Bolt's own middleware, before any handler
        app.use(new DeliveredOnce(backend::firstDelivery));
        // Bounded: a flood of commands gets "busy" answers instead of an unbounded backlog.
        this.workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(500), daemon("pgstaging-slack"));
        this.scheduler = Executors.newScheduledThreadPool(2, daemon("pgstaging-slack-edits"));
        var client = app.slack().methods(settings.botToken());
        SlackPoster poster = new SlackPoster(client);
        this.throttle = new MessageThrottle(poster::update, EDIT_INTERVAL, scheduler, clock, limits, slackMetrics);
        this.posts = new PostQueue(poster, limits, scheduler, clock, slackMetrics);
        MessageIndex index = new MessageIndex(settings.stateDir(), backend);
        JobMessenger messenger = new JobMessenger(backend, posts, throttle, index, new LogContextExecutor(workers), clock,
                settings.approvalChannel().orElse(null));
        this.context = new BotContext(settings, backend, poster, new AccessPolicy(settings, backend.policy()), new UserNames(client),
                index, messenger, workers, clock, app.slack());
        backend.addListener(messenger);
        CommandHandler commands = new CommandHandler(context);
        commands.register(app);
        ActionHandler clicks = new ActionHandler(context);
        clicks.register(app);
        ThreadHandler replies = new ThreadHandler(context);
        replies.register(app);
        // requests another replica (or this bot's previous life) acknowledged and never answered
        backend.onOrphanedRequest(held -> {
            if (RequestKey.isClick(held.key())) clicks.resume(held);
            else if (held.threadTs() == null) commands.resume(held);
            else replies.resume(held);
        });
        new RequestFormHandler(context, scheduler).register(app);
        this.homeRounds = Executors.newSingleThreadScheduledExecutor(daemon("pgstaging-slack-home"));
        HomeRefresher home = new HomeRefresher(context, homeRounds, HomeRefresher.INTERVAL);
        home.register(app);
        backend.addListener(home);
    }

    /**
     * The rules of the [slack] section (requesters, approvers, self_approval) for the job layer, with
     * user groups read from Slack: give it to the {@link org.pgstaging.job.JobService} the bot serves.
     */
    public static JobPolicy jobPolicy(SlackSettings settings) {
        List<String> approvers = new ArrayList<>(settings.approverUsers());
        approvers.addAll(settings.approverGroups());
        return new JobPolicy(settings.requesters(), approvers, settings.selfApproval(),
                new SlackGroups(SlackAppFactory.slack(settings).methods(settings.botToken())));
    }

    public App app() {
        return app;
    }

    public BotContext context() {
        return context;
    }

    /** Starts in the configured mode; checks the bot token first (auth.test) so a bad token fails here. */
    public void start() throws Exception {
        context.access().warmUp();
        if (settings.mode() == SlackSettings.Mode.HTTP) {
            startHttp(new InetSocketAddress(settings.httpPort()));
        } else {
            startSocketMode();
        }
        if (settings.metricsPort().isPresent()) startMetrics(new InetSocketAddress(settings.metricsPort().getAsInt()));
    }

    /** Serves /metrics and /healthz on a server of their own ({@code metrics_port}); returns its port. */
    public int startMetrics(InetSocketAddress address) throws java.io.IOException {
        metricsServer = new MetricsHttpServer(address, metrics::scrape, checks());
        log.info("pgstaging metrics on port {} ({})", metricsServer.port(), Probes.METRICS_PATH);
        return metricsServer.port();
    }

    public SlackHttpServer startHttp(InetSocketAddress address) throws Exception {
        app.start();
        http = new SlackHttpServer(app, address, checks(), slackMetrics, metrics::scrape).start();
        started = true;
        log.info("pgstaging Slack bot listening on port {} ({})", http.port(), settings);
        return http;
    }

    public void startSocketMode() throws Exception {
        app.start();
        // The default error handler returns null and the envelope is never acked: Slack would deliver it again.
        SocketModeApp socketApp = new SocketModeApp(settings.appToken(), SocketModeClient.Backend.JavaWebSocket, ctx -> {
            log.error("Failed to handle a Socket Mode request: {}", ctx.getException().toString(), ctx.getException());
            return Response.ok();
        }, app, 4);
        slackMetrics.socketHealth(health);
        socket = new SocketModeConnection(socketApp, health, limits, slackMetrics, clock);
        socket.start();
        started = true;
        log.info("pgstaging Slack bot started in Socket Mode ({})", settings);
    }

    private Probes.Checks checks() {
        return new Probes.Checks(() -> started, this::notReady, health::report);
    }

    /** What keeps the bot from serving a request end to end now: not receiving, its job state silent, Slack out of reach. */
    private String notReady() {
        if (!started) return "the bot is starting or stopping";
        if (!context.backend().stateReachable()) return "its job state does not answer";
        return health.outOfReach();
    }

    public boolean started() {
        return started;
    }

    /**
     * Stops taking requests from Slack (closes the socket or the HTTP endpoint, /healthz with it) while
     * the bot can still post: the first step of a shutdown, before the queue hands its jobs back.
     */
    public synchronized void stopReceiving() {
        started = false;
        if (socket != null) socket.close();
        socket = null;
        if (http != null) http.close();
        http = null;
    }

    /**
     * Stops receiving, then gives the messages already on their way {@value #DRAIN_SECONDS} s to be
     * posted and edited (through rate limits, when Slack's Retry-After fits in that time).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return; // the bot command closes it before its store, then again on exit
        stopReceiving();
        if (metricsServer != null) metricsServer.close();
        app.stop();
        workers.shutdown();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        try {
            boolean drained = workers.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS);
            while (drained && !(posts.idle() && throttle.idle())) {
                if (System.nanoTime() > end) {
                    drained = false;
                    break;
                }
                Thread.sleep(20);
            }
            if (!drained) log.warn("Slack messages still being posted after {} s; leaving them", DRAIN_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        homeRounds.shutdownNow();
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
