package org.pgstaging.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
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
 * approval card, completion and failure, confirmations, listings. Pure functions of their
 * arguments, so they are tested without Slack; tables come from {@link Tables}, text goes through
 * {@link Mrkdwn} (what is shown as mrkdwn) and {@link PlainText} (labels and titles).
 */
public final class Messages {
    static final int SECTION_TEXT_LIMIT = 3000;
    /** A section's fields, each. */
    static final int FIELD_LIMIT = 2000;
    /** A button's value: what the click hands back. */
    static final int VALUE_LIMIT = 2000;
    /** A confirmation dialog's text. */
    static final int DIALOG_TEXT_LIMIT = 300;
    /** Parts of a failure, so a long error leaves room for how to fix it and what was cleaned. */
    private static final int FAILURE_MESSAGE_LIMIT = 1200;
    private static final int FAILURE_PART_LIMIT = 600;
    private static final int LIST_PREVIEW = 8;
    private static final int DETAILS_HEADING_LIMIT = 300;
    /** Who is connected, above a confirmation's button. */
    private static final int CONNECTIONS_LIMIT = 1500;
    private static final String SWITCHED = ":twisted_rightwards_arrows:";
    private static final String TOO_LONG_FOR_A_BUTTON = ":warning: These names are too long for a button: use the slash command.";

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
            buttons.add(button(b -> b.actionId(ActionIds.RETRY).text(PlainText.of("Retry", PlainText.BUTTON)).style("primary").value(job.id())));
        } else if (!job.finished()) {
            buttons.add(button(b -> b.actionId(ActionIds.CANCEL).text(PlainText.of("Cancel", PlainText.BUTTON)).value(job.id())
                    .confirm(confirm("Cancel this job?", "Cancel " + title + "?", "Cancel job", "Keep it", true))));
        }
        if (!buttons.isEmpty()) blocks.add(actions(buttons));
        blocks.add(context(List.of(markdownText("job " + Mrkdwn.code(job.id()) + " · reply in this thread: status, cancel, retry, switch, dbsizes"))));
        return new Rendered(title + ": " + job.state().name().toLowerCase().replace('_', ' '), blocks);
    }

    /** "Restore foodb.dev (2026-11-24) → foodb_20261124", as mrkdwn. */
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
        StringBuilder b = new StringBuilder(":x: Failed")
                .append(f.step() == null ? "" : " while " + Mrkdwn.cut(Mrkdwn.escape(f.step()), FAILURE_PART_LIMIT))
                .append(": ").append(Mrkdwn.cut(Mrkdwn.escape(f.message()), FAILURE_MESSAGE_LIMIT));
        if (f.hint() != null && !f.hint().isBlank()) {
            b.append("\n*How to fix:* ").append(Mrkdwn.cut(Mrkdwn.escape(f.hint()), FAILURE_PART_LIMIT));
        }
        b.append("\n*Cleaned up:* ").append(f.cleanup() == null || f.cleanup().isBlank() ? "nothing was left behind"
                : Mrkdwn.cut(Mrkdwn.escape(f.cleanup()), FAILURE_PART_LIMIT));
        return b.toString();
    }

    private static LayoutBlock decisionContext(JobView.Decision d) {
        String s = (d.approved() ? ":+1: Approved by " : ":no_entry: Denied by ") + Mrkdwn.user(d.userId()) + " " + Human.time(d.at())
                + (d.reason() == null || d.reason().isBlank() ? "" : ": " + Mrkdwn.escape(d.reason()));
        return context(List.of(markdownText(Mrkdwn.cut(s, SECTION_TEXT_LIMIT))));
    }

    /**
     * A finished job's step timings and last lines of output, in a code block: the newest lines
     * kept when they do not all fit, each escaped (pg_restore and psql print {@code <} and {@code &}).
     */
    public static Rendered details(JobView job, JobProgress p, List<String> output) {
        List<String> lines = new ArrayList<>();
        if (p != null) {
            for (JobProgress.Done d : p.finished()) {
                lines.add(String.format(java.util.Locale.ROOT, "%-22s %s", d.step().label(), Human.duration(d.elapsed())));
            }
        }
        if (!lines.isEmpty() && !output.isEmpty()) lines.add("");
        lines.addAll(output);
        String heading = Mrkdwn.cut("*Details* of " + title(job), DETAILS_HEADING_LIMIT);
        int budget = SECTION_TEXT_LIMIT - heading.length() - "\n```\n```".length();
        return plain(heading + "\n```\n" + lastLines(lines, budget) + "```");
    }

    /** The last of {@code lines} that fit in {@code budget} characters, escaped for a code block. */
    private static String lastLines(List<String> lines, int budget) {
        int room = budget - ("… " + lines.size() + " earlier lines\n").length();
        List<String> kept = new ArrayList<>();
        int used = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = Mrkdwn.inCode(lines.get(i));
            if (kept.isEmpty() && l.length() + 1 > room) l = Mrkdwn.cut(l, room - 1);
            if (used + l.length() + 1 > room) break;
            kept.add(0, l);
            used += l.length() + 1;
        }
        int earlier = lines.size() - kept.size();
        return (earlier > 0 ? "… " + earlier + " earlier lines\n" : "") + String.join("\n", kept) + "\n";
    }

    // ---- approval ---------------------------------------------------------------------

    /** The card approvers act on; {@code preview} is null for jobs without a backup (vacuumdb). */
    public static Rendered approvalCard(JobView job, RestorePreview preview) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(text(":raised_hand: *Approval needed:* " + title(job) + "\nRequested by " + Mrkdwn.user(job.requesterId())));
        if (preview != null) blocks.addAll(plan(preview));
        blocks.add(actions(List.of(
                button(b -> b.actionId(ActionIds.APPROVE).text(PlainText.of("Approve", PlainText.BUTTON)).style("primary").value(job.id())),
                button(b -> b.actionId(ActionIds.DENY).text(PlainText.of("Deny", PlainText.BUTTON)).style("danger").value(job.id())))));
        return new Rendered("Approval needed: " + title(job), blocks);
    }

    /**
     * What a restore would do: which dump, where it goes, what the catalog filter leaves out. The
     * approval card shows it to approvers, the request form to the requester before they ask.
     */
    static List<LayoutBlock> plan(RestorePreview preview) {
        List<String> f = new ArrayList<>();
        f.add("*Backup*\n" + Mrkdwn.code(preview.backup().fileName()) + preview.backup().size().stream()
                .mapToObj(s -> " (" + Human.bytes(s) + ")").findFirst().orElse(" (size unknown)"));
        f.add("*Target*\n" + Mrkdwn.escape(preview.targetServer()) + " · " + Mrkdwn.code(preview.targetDatabase()));
        return List.of(section(s -> s.fields(f.stream().map(t -> (com.slack.api.model.block.composition.TextObject)
                        markdownText(Mrkdwn.cut(t, FIELD_LIMIT))).toList())),
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

    /** What the catalog filter keeps and leaves out, as mrkdwn. */
    public static String filterSummary(CatalogReport r) {
        return Mrkdwn.cut("*Catalog filter:* keeps " + Human.count(r.kept()) + " of " + Human.count(r.entries()) + " entries"
                + "\n• excluded schemas: " + list(r.excludedSchemas())
                + "\n• tables without data: " + list(r.nodataTables())
                + "\n• dropped triggers: " + list(r.droppedTriggers())
                + "\n• left out for what they need: " + list(r.dependencyDrops())
                + (r.conflicts().isEmpty() ? "" : "\n• :warning: *cannot be restored as filtered* (the restore will refuse): "
                        + list(r.conflicts())), SECTION_TEXT_LIMIT);
    }

    private static String list(List<String> items) {
        if (items == null || items.isEmpty()) return "none";
        String shown = items.stream().limit(LIST_PREVIEW).map(Mrkdwn::code).collect(Collectors.joining(", "));
        return items.size() + " (" + shown + (items.size() > LIST_PREVIEW ? ", … " + (items.size() - LIST_PREVIEW) + " more" : "") + ")";
    }

    /** Modal asking an approver why; the job id travels in private_metadata. */
    public static View denyModal(String privateMetadata, JobView job) {
        return view(v -> v.type("modal").callbackId(ActionIds.DENY_VIEW).privateMetadata(privateMetadata)
                .title(viewTitle(t -> t.type("plain_text").text(PlainText.cut("Deny request", PlainText.MODAL_TITLE))))
                .submit(viewSubmit(s -> s.type("plain_text").text(PlainText.cut("Deny", PlainText.MODAL_TITLE))))
                .close(viewClose(c -> c.type("plain_text").text(PlainText.cut("Back", PlainText.MODAL_TITLE))))
                .blocks(List.of(
                        text("Deny *" + title(job) + "* requested by " + Mrkdwn.user(job.requesterId()) + "?"),
                        input(i -> i.blockId(ActionIds.DENY_REASON_BLOCK).label(PlainText.of("Reason (the requester sees it)", PlainText.TEXT))
                                .element(plainTextInput(p -> p.actionId(ActionIds.DENY_REASON_INPUT).multiline(true)
                                        .minLength(3).maxLength(500)))))));
    }

    // ---- completion, switch -----------------------------------------------------------

    /**
     * Posted when a restore is done: mentions the requester, compares the fresh copy with the
     * alias' (current or previous) target (the message's table block) and offers the switch (or
     * switch back); the section's sizes follow in a code block, a message having one table block.
     */
    public static Rendered completion(JobView job, List<DatabaseSize> sizes, CopyComparison cmp) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String ready = Mrkdwn.user(job.requesterId()) + " " + Mrkdwn.code(cmp.fresh().database()) + " is ready";
        blocks.add(text(ready + (cmp.switched() ? " and *" + Mrkdwn.escape(cmp.alias()) + "* now points to it." : ".")));
        SlackTable all = Tables.dbsizes(sizes);
        if (!all.isEmpty()) blocks.add(text("*Sizes of " + Mrkdwn.escape(job.section()) + "*\n" + all.fenced()));
        blocks.add(text("*Compared with " + (cmp.other() == null ? "nothing (first copy)" : Mrkdwn.code(cmp.other().database())) + "*"));
        blocks.add(Tables.comparison(cmp).block());
        if (cmp.switched() && cmp.other() != null) {
            blocks.add(buttonOrNote(switchButton(job.section(), cmp.alias(), cmp.other().database())));
        } else if (!cmp.switched()) {
            blocks.add(buttonOrNote(switchButton(job.section(), cmp.alias(), cmp.fresh().database())));
        }
        return new Rendered(ready + ".", blocks);
    }

    /** A "Switch foodb to foodb_20261124" button; value carries section and target database. */
    public static ButtonElement switchButton(String section, String alias, String target) {
        return button(b -> b.actionId(ActionIds.SWITCH).style("primary")
                .text(PlainText.of("Switch " + alias + " to " + target, PlainText.BUTTON))
                .value(section + "|" + target)
                .confirm(confirm("Switch " + alias + "?",
                        "Connections through pgbouncer to *" + Mrkdwn.escape(alias) + "* will go to " + Mrkdwn.code(target)
                                + " from now on.", "Switch", "Not now", false)));
    }

    /** The completion (or switch) message after a switch: same content, a note, and the way back. */
    public static List<LayoutBlock> afterSwitch(List<LayoutBlock> original, String section, String alias, String target,
                                                String previous, String userId, Instant at) {
        List<LayoutBlock> blocks = new ArrayList<>();
        for (LayoutBlock b : original) {
            if (!"actions".equals(b.getType()) && !isNote(b, SWITCHED) && !isNote(b, TOO_LONG_FOR_A_BUTTON)) blocks.add(b);
        }
        blocks.add(context(List.of(markdownText(Mrkdwn.cut(SWITCHED + " " + Mrkdwn.user(userId) + " switched *"
                + Mrkdwn.escape(alias) + "* to " + Mrkdwn.code(target) + " " + Human.time(at), SECTION_TEXT_LIMIT)))));
        if (previous != null && !previous.equals(target)) {
            ButtonElement back = switchButton(section, alias, previous);
            back.setText(PlainText.of("Switch back to " + previous, PlainText.BUTTON));
            blocks.add(buttonOrNote(back));
        }
        while (blocks.size() > Rendered.MAX_BLOCKS) blocks.remove(0);
        return blocks;
    }

    /** A context block of ours, known by how its text starts: replaced, not repeated, by a new one. */
    private static boolean isNote(LayoutBlock b, String start) {
        return b instanceof com.slack.api.model.block.ContextBlock c && c.getElements() != null
                && c.getElements().stream().anyMatch(e -> e instanceof com.slack.api.model.block.composition.MarkdownTextObject m
                && m.getText() != null && m.getText().startsWith(start));
    }

    // ---- drop, purge, switch confirmations --------------------------------------------

    public static Rendered dropConfirm(String section, String database, List<ConnectedClient> connected) {
        return destructive(":wastebasket:", "Drop " + Mrkdwn.code(database) + " of " + Mrkdwn.escape(section) + "?",
                connected, button(b -> b.actionId(ActionIds.DROP).style("danger").text(PlainText.of("Drop " + database, PlainText.BUTTON))
                        .value(section + "|" + database)
                        .confirm(confirm("Drop " + database + "?", "This cannot be undone."
                                + (connected.isEmpty() ? "" : " " + connected.size() + " connection(s) will be cut."), "Drop", "Keep it", true))));
    }

    public static Rendered purgeConfirm(String section, List<ConnectedClient> connected) {
        return destructive(":broom:", "Purge old copies of " + Mrkdwn.escape(section)
                        + "? Keeps the newest `keep_bases` copies and never the one the alias points to.",
                connected, button(b -> b.actionId(ActionIds.PURGE).style("danger").text(PlainText.of("Purge " + section, PlainText.BUTTON))
                        .value(section)
                        .confirm(confirm("Purge " + section + "?", "Old copies will be dropped; this cannot be undone.",
                                "Purge", "Keep them", true))));
    }

    public static Rendered switchConfirm(String section, String alias, String target, List<ConnectedClient> connected) {
        return destructive(SWITCHED, "Point *" + Mrkdwn.escape(alias) + "* at " + Mrkdwn.code(target) + "?",
                connected, switchButton(section, alias, target));
    }

    /** The question (its emoji left out of the notification text), who is connected, the button. */
    private static Rendered destructive(String emoji, String question, List<ConnectedClient> connected, ButtonElement button) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(text(emoji + " " + question));
        blocks.add(text(connected.isEmpty() ? "Nobody is connected." : "*Connected now:*\n" + Tables.connections(connected).fenced(CONNECTIONS_LIMIT)));
        blocks.add(buttonOrNote(button));
        return new Rendered(question, blocks);
    }

    /**
     * The button in an actions block, or, when its value is beyond Slack's limit for one (a name
     * thousands of characters long), a note instead: a button Slack refuses would cost the message.
     */
    private static LayoutBlock buttonOrNote(ButtonElement button) {
        if (button.getValue() == null || button.getValue().length() <= VALUE_LIMIT) return actions(List.of(button));
        return context(List.of(markdownText(TOO_LONG_FOR_A_BUTTON)));
    }


    // ---- listings ------------------------------------------------------------------------

    /**
     * A listing: its title, then the table as Slack's table block; the notification text holds the
     * same table in a code block, for clients that show the text only. {@code more} (mrkdwn, or
     * null) goes between them.
     */
    public static Rendered listing(String title, SlackTable table, String whenEmpty, String more) {
        String heading = "*" + Mrkdwn.escape(title) + "*";
        if (table.isEmpty()) return plain(heading + "\n" + whenEmpty + (more == null ? "" : "\n" + more));
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(text(heading));
        if (more != null) blocks.add(text(more));
        blocks.add(table.block());
        return new Rendered(heading + "\n" + table.fenced() + (more == null ? "" : "\n" + more), blocks);
    }

    // ---- small helpers ------------------------------------------------------------------

    /** One section of mrkdwn, cut to Slack's limit; the notification text is the same. */
    public static Rendered plain(String mrkdwn) {
        String t = Mrkdwn.cut(mrkdwn, SECTION_TEXT_LIMIT);
        return new Rendered(t, List.of(text(t)));
    }

    /** An error the way every face shows one: what went wrong and how to fix it, both as given. */
    public static Rendered error(String message, String hint) {
        return plain(":warning: " + Mrkdwn.escape(message) + (hint == null || hint.isBlank() ? "" : "\n" + Mrkdwn.escape(hint)));
    }

    public static Rendered help(String slash) {
        SlackTable t = new SlackTable("command", "what it does");
        Verb.offeredBy(Verb.Face.CHAT).forEach(v -> t.row(v.usage(slash), v.summary() + switch (v.effect()) {
            case QUEUED -> " (needs approval)";
            case CHANGE -> " (asks to confirm)";
            case READ -> "";
        }));
        return new Rendered("pgstaging commands", List.of(text("*pgstaging*: fresh staging databases from production backups\n" + t.fenced()),
                context(List.of(markdownText("DATE: YYYY-MM-DD, YYYYMMDD, today, latest or oldest. In a job's thread reply: status, cancel, retry, switch, dbsizes.")))));
    }

    static LayoutBlock text(String mrkdwn) {
        String t = Mrkdwn.cut(mrkdwn, SECTION_TEXT_LIMIT);
        return section(s -> s.text(markdownText(t)));
    }

    /** A confirmation dialog: {@code title}, {@code yes} and {@code no} as plain text, {@code text} mrkdwn. */
    static ConfirmationDialogObject confirm(String title, String text, String yes, String no, boolean danger) {
        return ConfirmationDialogObject.builder().title(PlainText.of(title, PlainText.DIALOG_TITLE))
                .text(markdownText(Mrkdwn.cut(text, DIALOG_TEXT_LIMIT)))
                .confirm(PlainText.of(yes, PlainText.DIALOG_BUTTON)).deny(PlainText.of(no, PlainText.DIALOG_BUTTON))
                .style(danger ? "danger" : "primary").build();
    }
}
