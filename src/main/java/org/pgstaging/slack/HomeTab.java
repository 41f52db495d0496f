package org.pgstaging.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.pgstaging.job.JobView;
import org.pgstaging.job.ServerActivity;
import org.pgstaging.job.model.Change;
import org.pgstaging.job.model.JobState;

/**
 * The app's Home tab as one person sees it: per database server the change running (with its
 * progress) and those waiting (position, estimated start), the viewer's own latest requests, the
 * latest changes, and a "Request a restore" button. A pure function of what it is given, so it is
 * tested without Slack; {@link HomeRefresher} reads the data and publishes it.
 */
final class HomeTab {
    /** Slack's limit for a Home tab. */
    static final int MAX_BLOCKS = 100;
    /** Busy servers get a block each up to this many; the others are counted (the queue command lists them all). */
    static final int MAX_BUSY_SERVERS = 40;
    /** Waiting changes listed under one server. */
    static final int MAX_WAITING = 10;
    static final int OWN_REQUESTS = 10;
    static final int HISTORY = 10;
    /** A line of the viewer's requests: the first line of the job's status, cut to this. */
    private static final int STATUS_LINE = 300;

    private HomeTab() {}

    /**
     * What every viewer sees, read once for all of them.
     *
     * @param servers what the servers' locks say runs and waits (empty when they could not be asked)
     * @param queue   the bot's jobs waiting for approval, queued or running
     * @param problem why some of it could not be read, else null
     */
    record Board(List<ServerActivity> servers, List<JobView> queue, List<Change> history, String problem, Instant now) {
    }

    /** One of the viewer's requests and the channel its messages are in (null when unknown). */
    record OwnRequest(JobView job, String channel) {
    }

    /** How the tab shows the jobs of this bot and the people in it. */
    record Lookups(Function<String, JobProgress> progress, Function<String, String> userName) {
    }

    /**
     * @param refusal why the viewer may not ask for restores (the button is then left out), if so
     * @param command the slash command, for the hints
     */
    static View view(Board board, List<OwnRequest> own, Optional<String> refusal, String command, Lookups lookups) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String intro = "*pgstaging* keeps the staging databases fresh from production backups.";
        if (refusal.isPresent()) {
            blocks.add(Messages.text(intro + "\n:no_entry: " + refusal.get()));
        } else {
            blocks.add(section(s -> s.text(markdownText(intro + " Ask for a restore here, or with `" + command + " restore SECTION`."))
                    .accessory(button(b -> b.actionId(ActionIds.HOME_REQUEST).text(plainText("Request a restore"))
                            .style("primary").value("home")))));
        }
        blocks.add(context(List.of(markdownText("Updated " + Human.time(board.now()) + " · `" + command
                + " help` lists every command"))));
        blocks.add(divider());
        blocks.add(header(h -> h.text(plainText("Database servers"))));
        blocks.addAll(servers(board, lookups));
        blocks.add(divider());
        blocks.add(header(h -> h.text(plainText("Your requests"))));
        blocks.add(Messages.text(own(own, board.now(), lookups)));
        blocks.add(divider());
        blocks.add(header(h -> h.text(plainText("Latest changes"))));
        blocks.add(Messages.text(Tables.history(board.history(), lookups.userName()).fenced(Messages.SECTION_TEXT_LIMIT)));
        return View.builder().type("home").blocks(blocks).build();
    }

    // ---- servers ----------------------------------------------------------------------------

    private static List<LayoutBlock> servers(Board board, Lookups lookups) {
        Map<String, List<JobView>> jobsByServer = new LinkedHashMap<>();
        Map<String, ServerActivity> byName = new LinkedHashMap<>();
        Map<String, String> serverOf = new LinkedHashMap<>();
        for (ServerActivity s : board.servers()) {
            byName.put(s.server(), s);
            s.sections().forEach(section -> serverOf.put(section, s.server()));
        }
        // jobs of sections no server answered for (none could be asked) still show, on their own
        String elsewhere = "other sections";
        for (JobView j : board.queue()) {
            jobsByServer.computeIfAbsent(serverOf.getOrDefault(j.section(), elsewhere), k -> new ArrayList<>()).add(j);
        }
        List<LayoutBlock> blocks = new ArrayList<>();
        if (board.problem() != null) {
            blocks.add(Messages.text(":warning: Some of this could not be read: " + Mrkdwn.escape(board.problem())));
        }
        List<String> idle = new ArrayList<>();
        int busy = 0;
        int hidden = 0;
        Set<String> names = new java.util.LinkedHashSet<>(byName.keySet());
        names.addAll(jobsByServer.keySet());
        for (String name : names) {
            ServerActivity activity = byName.get(name);
            List<JobView> jobs = jobsByServer.getOrDefault(name, List.of());
            List<ServerActivity.Turn> outside = activity == null ? List.of()
                    : activity.turns().stream().filter(t -> t.jobId() == null).toList();
            if (jobs.isEmpty() && outside.isEmpty() && (activity == null || activity.error() == null)) {
                idle.add("`" + Mrkdwn.escape(name) + "` (" + sections(activity) + ")");
            } else if (busy < MAX_BUSY_SERVERS) {
                busy++;
                blocks.add(Messages.text(server(name, activity, jobs, outside, board.now(), lookups)));
            } else {
                hidden++;
            }
        }
        if (hidden > 0) {
            blocks.add(context(List.of(markdownText("… and " + hidden + " more busy servers: see the queue command"))));
        }
        if (!idle.isEmpty()) {
            blocks.add(context(List.of(markdownText(Mrkdwn.cut(":zzz: Nothing running or waiting on " + String.join(", ", idle),
                    Messages.SECTION_TEXT_LIMIT)))));
        }
        if (names.isEmpty() && board.problem() == null) blocks.add(Messages.text("_No database server is configured._"));
        return blocks;
    }

    private static String sections(ServerActivity activity) {
        return activity == null ? "" : String.join(", ", activity.sections().stream().map(Mrkdwn::escape).toList());
    }

    private static String server(String name, ServerActivity activity, List<JobView> jobs, List<ServerActivity.Turn> outside,
                                 Instant now, Lookups lookups) {
        StringBuilder b = new StringBuilder("*`").append(Mrkdwn.escape(name)).append("`*");
        if (activity != null) b.append("  ").append(sections(activity));
        if (activity != null && activity.error() != null) {
            b.append("\n:warning: cannot tell what else runs there: ").append(Mrkdwn.escape(activity.error()));
        }
        boolean running = false;
        for (JobView j : jobs) {
            if (j.state() != JobState.RUNNING) continue;
            running = true;
            JobProgress p = lookups.progress().apply(j.id());
            b.append("\n:gear: *").append(Messages.title(j)).append("* for ").append(Mrkdwn.user(j.requesterId()));
            if (j.estimatedFinish() != null) b.append(" · estimated finish ").append(Human.time(j.estimatedFinish()));
            if (p != null && p.current() != null) b.append("\n      :arrow_forward: ").append(p.current().label()).append(Messages.current(p));
        }
        for (ServerActivity.Turn t : outside) {
            if (!t.running()) continue;
            running = true;
            b.append("\n:gear: `").append(Mrkdwn.escape(t.what())).append("` by ").append(Mrkdwn.escape(t.by()))
                    .append(" since ").append(Human.time(t.since()));
        }
        if (!running) b.append("\nNothing running.");
        List<String> waiting = new ArrayList<>();
        // changes already waiting for the server's lock go before the bot's next job, which asks for it when its turn comes
        for (ServerActivity.Turn t : outside) {
            if (t.running()) continue;
            waiting.add("`" + Mrkdwn.escape(t.what()) + "` by " + Mrkdwn.escape(t.by()) + ", waiting since " + Human.time(t.since())
                    + (t.estimatedStart() == null ? "" : " · estimated start " + Human.time(t.estimatedStart())));
        }
        jobs.stream().filter(j -> j.state() == JobState.QUEUED).sorted(Comparator.comparingInt(JobView::position))
                .forEach(j -> waiting.add("*" + Messages.title(j) + "* for " + Mrkdwn.user(j.requesterId())
                        + (j.estimatedStart() == null ? "" : " · estimated start " + Human.time(j.estimatedStart()))));
        for (int i = 0; i < Math.min(waiting.size(), MAX_WAITING); i++) b.append('\n').append(i + 1).append(". ").append(waiting.get(i));
        if (waiting.size() > MAX_WAITING) b.append("\n… and ").append(waiting.size() - MAX_WAITING).append(" more waiting");
        for (JobView j : jobs) {
            if (j.state() != JobState.AWAITING_APPROVAL) continue;
            b.append("\n:hourglass_flowing_sand: *").append(Messages.title(j)).append("* for ").append(Mrkdwn.user(j.requesterId()))
                    .append(" awaits approval");
        }
        return b.toString();
    }

    // ---- the viewer's requests ----------------------------------------------------------------

    private static String own(List<OwnRequest> own, Instant now, Lookups lookups) {
        if (own.isEmpty()) return "_You have asked for nothing yet._";
        StringBuilder b = new StringBuilder();
        for (OwnRequest r : own) {
            JobView j = r.job();
            String status = Messages.status(j, lookups.progress().apply(j.id()), now).lines().findFirst().orElse("");
            if (b.length() > 0) b.append('\n');
            b.append("`").append(j.id()).append("` *").append(Messages.title(j)).append("* · ")
                    .append(Mrkdwn.cut(status, STATUS_LINE));
            if (r.channel() != null) b.append(" · <#").append(r.channel()).append('>');
            if (j.submittedAt() != null) b.append(" · asked ").append(Human.time(j.submittedAt()));
        }
        return b.toString();
    }
}
