package org.pgstaging.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.model.view.View;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.pgstaging.TextTable;
import org.pgstaging.job.CatalogReport;
import org.pgstaging.job.ConnectedClient;
import org.pgstaging.job.CopyComparison;
import org.pgstaging.job.DatabaseSize;
import org.pgstaging.job.JobView;
import org.pgstaging.job.RestorePreview;
import org.pgstaging.job.Verb;
import org.pgstaging.job.model.JobState;

/**
 * Block Kit for the job messages: the request message (edited in place as the job moves on), the
 * approval card, completion and failure, confirmations. Pure functions of their arguments, so
 * they are tested without Slack; tables come from {@link Tables}.
 */
public final class Messages {
    static final int SECTION_TEXT_LIMIT = 3000;
    private static final int LIST_PREVIEW = 8;

    private Messages() {}

    // ---- request message ---------------------------------------------------------------

    public static Rendered request(JobView job, JobProgress progress, Instant now) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String title = title(job);
        blocks.add(text("*" + title + "*  requested by " + Mrkdwn.user(job.requesterId())));
        blocks.add(text(status(job, progress, now)));
        if (job.decision() != null) blocks.add(decisionContext(job.decision()));
        List<BlockElement> buttons = new ArrayList<>();
        if (job.state() == JobState.FAILED || job.state() == JobState.CANCELLED) {
            buttons.add(button(b -> b.actionId(ActionIds.RETRY).text(plainText("Retry")).style("primary").value(job.id())));
        } else if (!job.finished()) {
            buttons.add(button(b -> b.actionId(ActionIds.CANCEL).text(plainText("Cancel")).value(job.id())
                    .confirm(confirm("Cancel this job?", "Cancel " + Mrkdwn.escape(title) + "?", "Cancel job", "Keep it", true))));
        }
        if (!buttons.isEmpty()) blocks.add(actions(buttons));
        blocks.add(context(List.of(markdownText("job `" + job.id() + "` · reply in this thread: status, cancel, retry, switch, dbsizes"))));
        return new Rendered(title + ": " + job.state().name().toLowerCase().replace('_', ' '), blocks);
    }

    static String title(JobView job) {
        String what = switch (job.kind()) {
            case RESTORE -> "Restore";
            case FETCH -> "Fetch";
            case VACUUMDB -> "Vacuum";
            case DROP -> "Drop";
            case PURGE -> "Purge";
            case SWITCH -> "Switch";
        };
        return what + " " + Mrkdwn.escape(job.section()) + (job.date() == null ? "" : " (" + Mrkdwn.escape(job.date()) + ")")
                + (job.database() == null ? "" : " → " + Mrkdwn.escape(job.database()));
    }

    static String status(JobView job, JobProgress progress, Instant now) {
        return switch (job.state()) {
            case AWAITING_APPROVAL -> ":hourglass_flowing_sand: Awaiting approval";
            case QUEUED -> ":inbox_tray: Queued, position " + job.position()
                    + (job.estimatedStart() == null ? "" : " · estimated start " + Human.time(job.estimatedStart()))
                    + (job.estimatedFinish() == null ? "" : " · finish " + Human.time(job.estimatedFinish()));
            case RUNNING -> running(job, progress, now);
            case DONE -> ":white_check_mark: Done"
                    + (job.finishedAt() != null && job.submittedAt() != null
                    ? " in " + Human.duration(Duration.between(job.submittedAt(), job.finishedAt())) : "")
                    + steps(progress);
            case FAILED, INTERRUPTED -> failed(job.failure()) + steps(progress);
            case DENIED -> ":no_entry: Denied";
            case CANCELLED -> ":heavy_multiplication_x: Cancelled";
        };
    }

    private static String running(JobView job, JobProgress p, Instant now) {
        StringBuilder b = new StringBuilder(":gear: Running");
        if (job.estimatedFinish() != null) b.append(" · estimated finish ").append(Human.time(job.estimatedFinish()));
        b.append(steps(p));
        if (p != null && p.current() != null) {
            b.append("\n:arrow_forward: ").append(p.current().label()).append(current(p));
        }
        return b.toString();
    }

    /** The step running now and how far it is, e.g. ": 1.2 GB of 3.3 GB at 50 MB/s, about 40 s left". */
    static String current(JobProgress p) {
        if (p.unit() == null) return "…";
        if ("bytes".equals(p.unit())) {
            String s = ": " + Human.bytes(p.done()) + (p.total() > 0 ? " of " + Human.bytes(p.total()) : "");
            if (p.rate() > 0) s += " at " + Human.rate(p.rate());
            long eta = p.etaSeconds();
            return eta >= 0 ? s + ", about " + Human.duration(Duration.ofSeconds(eta)) + " left" : s;
        }
        return ": " + Human.count(p.done()) + (p.total() > 0 ? "/" + Human.count(p.total()) : "") + " " + p.unit();
    }

    private static String steps(JobProgress p) {
        if (p == null || p.finished().isEmpty()) return "";
        return p.finished().stream()
                .map(d -> ":heavy_check_mark: " + d.step().label() + " (" + Human.duration(d.elapsed()) + ")")
                .collect(Collectors.joining("\n", "\n", ""));
    }

    private static String failed(JobView.Failure f) {
        if (f == null) return ":x: Failed";
        StringBuilder b = new StringBuilder(":x: Failed").append(f.step() == null ? "" : " while " + Mrkdwn.escape(f.step()))
                .append(": ").append(Mrkdwn.escape(f.message()));
        if (f.hint() != null && !f.hint().isBlank()) b.append("\n*How to fix:* ").append(Mrkdwn.escape(f.hint()));
        b.append("\n*Cleaned up:* ").append(f.cleanup() == null || f.cleanup().isBlank() ? "nothing was left behind" : Mrkdwn.escape(f.cleanup()));
        return Mrkdwn.limit(b.toString(), SECTION_TEXT_LIMIT - 500);
    }

    private static LayoutBlock decisionContext(JobView.Decision d) {
        String s = (d.approved() ? ":+1: Approved by " : ":no_entry: Denied by ") + Mrkdwn.user(d.userId()) + " " + Human.time(d.at())
                + (d.reason() == null || d.reason().isBlank() ? "" : ": " + Mrkdwn.escape(d.reason()));
        return context(List.of(markdownText(Mrkdwn.limit(s, SECTION_TEXT_LIMIT))));
    }

    // ---- approval ---------------------------------------------------------------------

    /** The card approvers act on; {@code preview} is null for jobs without a backup (vacuumdb). */
    public static Rendered approvalCard(JobView job, RestorePreview preview) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(text(":raised_hand: *Approval needed:* " + title(job) + "\nRequested by " + Mrkdwn.user(job.requesterId())));
        if (preview != null) blocks.addAll(plan(preview));
        blocks.add(actions(List.of(
                button(b -> b.actionId(ActionIds.APPROVE).text(plainText("Approve")).style("primary").value(job.id())),
                button(b -> b.actionId(ActionIds.DENY).text(plainText("Deny")).style("danger").value(job.id())))));
        return new Rendered("Approval needed: " + title(job), blocks);
    }

    /**
     * What a restore would do: which dump, where it goes, what the catalog filter leaves out. The
     * approval card shows it to approvers, the request form to the requester before they ask.
     */
    static List<LayoutBlock> plan(RestorePreview preview) {
        List<String> f = new ArrayList<>();
        f.add("*Backup*\n`" + Mrkdwn.escape(preview.backup().fileName()) + "`" + preview.backup().size().stream()
                .mapToObj(s -> " (" + Human.bytes(s) + ")").findFirst().orElse(" (size unknown)"));
        f.add("*Target*\n" + Mrkdwn.escape(preview.targetServer()) + " · `" + Mrkdwn.escape(preview.targetDatabase()) + "`");
        return List.of(section(s -> s.fields(f.stream().map(t -> (com.slack.api.model.block.composition.TextObject) markdownText(t)).toList())),
                text(preview.catalog().map(Messages::filterSummary).orElse("*Catalog filter:* computed after the download")));
    }

    /** The card once decided: no buttons, who decided and when. */
    public static Rendered approvalDecided(JobView job) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(text("*" + title(job) + "*  requested by " + Mrkdwn.user(job.requesterId())));
        if (job.decision() != null) blocks.add(decisionContext(job.decision()));
        String what = job.decision() == null ? "decided" : job.decision().approved() ? "approved" : "denied";
        return new Rendered(title(job) + ": " + what, blocks);
    }

    static String filterSummary(CatalogReport r) {
        return Mrkdwn.limit("*Catalog filter:* keeps " + Human.count(r.kept()) + " of " + Human.count(r.entries()) + " entries"
                + "\n• excluded schemas: " + list(r.excludedSchemas())
                + "\n• tables without data: " + list(r.nodataTables())
                + "\n• dropped triggers: " + list(r.droppedTriggers())
                + "\n• left out for what they need: " + list(r.dependencyDrops())
                + (r.conflicts().isEmpty() ? "" : "\n• :warning: *cannot be restored as filtered* (the restore will refuse): "
                        + list(r.conflicts())), SECTION_TEXT_LIMIT);
    }

    private static String list(List<String> items) {
        if (items == null || items.isEmpty()) return "none";
        String shown = items.stream().limit(LIST_PREVIEW).map(i -> "`" + Mrkdwn.escape(i) + "`").collect(Collectors.joining(", "));
        return items.size() + " (" + shown + (items.size() > LIST_PREVIEW ? ", … " + (items.size() - LIST_PREVIEW) + " more" : "") + ")";
    }

    /** Modal asking an approver why; the job id travels in private_metadata. */
    public static View denyModal(String privateMetadata, JobView job) {
        return view(v -> v.type("modal").callbackId(ActionIds.DENY_VIEW).privateMetadata(privateMetadata)
                .title(viewTitle(t -> t.type("plain_text").text("Deny request")))
                .submit(viewSubmit(s -> s.type("plain_text").text("Deny")))
                .close(viewClose(c -> c.type("plain_text").text("Back")))
                .blocks(List.of(
                        text("Deny *" + title(job) + "* requested by " + Mrkdwn.user(job.requesterId()) + "?"),
                        input(i -> i.blockId(ActionIds.DENY_REASON_BLOCK).label(plainText("Reason (the requester sees it)"))
                                .element(plainTextInput(p -> p.actionId(ActionIds.DENY_REASON_INPUT).multiline(true)
                                        .minLength(3).maxLength(500)))))));
    }

    // ---- completion, switch -----------------------------------------------------------

    /**
     * Posted when a restore is done: mentions the requester, compares the fresh copy with the
     * alias' (current or previous) target and offers the switch (or switch back).
     */
    public static Rendered completion(JobView job, List<DatabaseSize> sizes, CopyComparison cmp) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String ready = Mrkdwn.user(job.requesterId()) + " `" + Mrkdwn.escape(cmp.fresh().database()) + "` is ready";
        blocks.add(text(ready + (cmp.switched() ? " and *" + Mrkdwn.escape(cmp.alias()) + "* now points to it." : ".")));
        blocks.add(text("*Compared with " + (cmp.other() == null ? "nothing (first copy)" : "`" + Mrkdwn.escape(cmp.other().database()) + "`") + "*\n"
                + Tables.comparison(cmp)));
        blocks.add(text("*Sizes of " + Mrkdwn.escape(job.section()) + "*\n" + Tables.dbsizes(sizes)));
        if (cmp.switched() && cmp.other() != null) {
            blocks.add(actions(List.of(switchButton(job.section(), cmp.alias(), cmp.other().database()))));
        } else if (!cmp.switched()) {
            blocks.add(actions(List.of(switchButton(job.section(), cmp.alias(), cmp.fresh().database()))));
        }
        return new Rendered(Mrkdwn.user(job.requesterId()) + " " + cmp.fresh().database() + " is ready", blocks);
    }

    /** A "Switch foodb to foodb_20261124" button; value carries section and target database. */
    public static ButtonElement switchButton(String section, String alias, String target) {
        return button(b -> b.actionId(ActionIds.SWITCH).style("primary")
                .text(plainText(limit("Switch " + alias + " to " + target, 75)))
                .value(section + "|" + target)
                .confirm(confirm("Switch " + limit(alias, 60) + "?",
                        "Connections through pgbouncer to *" + Mrkdwn.escape(alias) + "* will go to `" + Mrkdwn.escape(target)
                                + "` from now on.", "Switch", "Not now", false)));
    }

    /** The completion (or switch) message after a switch: same content, a note, and the way back. */
    public static List<LayoutBlock> afterSwitch(List<LayoutBlock> original, String section, String alias, String target,
                                                String previous, String userId, Instant at) {
        List<LayoutBlock> blocks = new ArrayList<>();
        for (LayoutBlock b : original) {
            if (!"actions".equals(b.getType()) && !isSwitchNote(b)) blocks.add(b);
        }
        blocks.add(context(List.of(markdownText(":twisted_rightwards_arrows: " + Mrkdwn.user(userId) + " switched *"
                + Mrkdwn.escape(alias) + "* to `" + Mrkdwn.escape(target) + "` " + Human.time(at)))));
        if (previous != null && !previous.equals(target)) {
            ButtonElement back = switchButton(section, alias, previous);
            back.setText(plainText(limit("Switch back to " + previous, 75)));
            blocks.add(actions(List.of(back)));
        }
        while (blocks.size() > Rendered.MAX_BLOCKS) blocks.remove(0);
        return blocks;
    }

    private static boolean isSwitchNote(LayoutBlock b) {
        return b instanceof com.slack.api.model.block.ContextBlock c && c.getElements() != null
                && c.getElements().stream().anyMatch(e -> e instanceof com.slack.api.model.block.composition.MarkdownTextObject m
                && m.getText() != null && m.getText().startsWith(":twisted_rightwards_arrows:"));
    }

    // ---- drop, purge, switch confirmations --------------------------------------------

    public static Rendered dropConfirm(String section, String database, List<ConnectedClient> connected) {
        return destructive(":wastebasket: Drop `" + Mrkdwn.escape(database) + "` of " + Mrkdwn.escape(section) + "?",
                connected, button(b -> b.actionId(ActionIds.DROP).style("danger").text(plainText(limit("Drop " + database, 75)))
                        .value(section + "|" + database)
                        .confirm(confirm("Drop " + limit(database, 80) + "?", "This cannot be undone."
                                + (connected.isEmpty() ? "" : " " + connected.size() + " connection(s) will be cut."), "Drop", "Keep it", true))));
    }

    public static Rendered purgeConfirm(String section, List<ConnectedClient> connected) {
        return destructive(":broom: Purge old copies of " + Mrkdwn.escape(section)
                        + "? Keeps the newest `keep_bases` copies and never the one the alias points to.",
                connected, button(b -> b.actionId(ActionIds.PURGE).style("danger").text(plainText("Purge " + limit(section, 60)))
                        .value(section)
                        .confirm(confirm("Purge " + limit(section, 80) + "?", "Old copies will be dropped; this cannot be undone.",
                                "Purge", "Keep them", true))));
    }

    public static Rendered switchConfirm(String section, String alias, String target, List<ConnectedClient> connected) {
        return destructive(":twisted_rightwards_arrows: Point *" + Mrkdwn.escape(alias) + "* at `" + Mrkdwn.escape(target) + "`?",
                connected, switchButton(section, alias, target));
    }

    private static Rendered destructive(String question, List<ConnectedClient> connected, ButtonElement button) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(text(question));
        blocks.add(text(connected.isEmpty() ? "Nobody is connected." : "*Connected now:*\n" + Tables.connections(connected)));
        blocks.add(actions(List.of(button)));
        return new Rendered(question.replaceAll(":[a-z_]+: ", ""), blocks);
    }

    // ---- small helpers ------------------------------------------------------------------

    public static Rendered plain(String mrkdwn) {
        String t = Mrkdwn.limit(mrkdwn, SECTION_TEXT_LIMIT);
        return new Rendered(t, List.of(text(t)));
    }

    /** An error the way every face shows one: what went wrong and how to fix it. */
    public static Rendered error(String message, String hint) {
        return plain(":warning: " + Mrkdwn.escape(message) + (hint == null || hint.isBlank() ? "" : "\n" + hint));
    }

    public static Rendered help(String slash) {
        TextTable t = new TextTable("command", "what it does");
        Verb.offeredBy(Verb.Face.CHAT).forEach(v -> t.row(v.usage(slash), v.summary() + switch (v.effect()) {
            case QUEUED -> " (needs approval)";
            case CHANGE -> " (asks to confirm)";
            case READ -> "";
        }));
        return new Rendered("pgstaging commands", List.of(text("*pgstaging*: fresh staging databases from production backups\n" + Tables.fenced(t)),
                context(List.of(markdownText("DATE: YYYY-MM-DD, YYYYMMDD, today, latest or oldest. In a job's thread reply: status, cancel, retry, switch, dbsizes.")))));
    }

    static LayoutBlock text(String mrkdwn) {
        String t = Mrkdwn.limit(mrkdwn, SECTION_TEXT_LIMIT);
        return section(s -> s.text(markdownText(t)));
    }

    static ConfirmationDialogObject confirm(String title, String text, String yes, String no, boolean danger) {
        return ConfirmationDialogObject.builder().title(plainText(limit(title, 100))).text(markdownText(limit(text, 300)))
                .confirm(plainText(limit(yes, 30))).deny(plainText(limit(no, 30))).style(danger ? "danger" : "primary").build();
    }

    static String limit(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
