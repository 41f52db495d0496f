package org.pgstaging.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.conversationsSelect;
import static com.slack.api.model.block.element.BlockElements.staticSelect;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionGroupObject;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.element.ConversationsFilter;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import com.slack.api.model.view.ViewTitle;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pgstaging.backup.BackupFile;
import org.pgstaging.job.RestorePreview;

/**
 * The "Request a restore" modal, opened by the global shortcut and the Home tab's button: a
 * section, a backup of it (the newest first, "latest" on top, with sizes), what that restore would
 * do (the approval card's plan: what the catalog filter leaves out, the tables restored without
 * data), and the channel the request is posted in. Rebuilt for every change, since the backups and
 * the plan depend on the section and the backup chosen; a pure function of what it is given.
 */
final class RequestForm {
    /** Slack's limits: options in a static_select (and option groups in it), characters of an option's text and value. */
    static final int MAX_OPTIONS = 100;
    static final int MAX_OPTION_TEXT = 75;
    static final int MAX_OPTION_VALUE = 150;
    static final String LATEST = "latest";
    private static final String TITLE = "Request a restore";

    private RequestForm() {}

    /** The backups of the chosen section, or why they could not be listed. */
    record Listing(List<BackupFile> files, String error) {
        static Listing of(List<BackupFile> files) {
            return new Listing(List.copyOf(files), null);
        }

        static Listing failed(String error) {
            return new Listing(List.of(), error);
        }
    }

    /** What a restore of the chosen backup would do, or why it could not be worked out. */
    record Plan(RestorePreview preview, String error) {
    }

    /**
     * What the form shows. Null {@code listing}: being read; null {@code plan}: being worked out;
     * null {@code date}: latest.
     */
    record State(String section, Listing listing, String date, Plan plan, String channel) {
        static State empty(String channel) {
            return new State(null, null, null, null, channel);
        }
    }

    /** What the user chose, as the view's state carries it; nulls for what is not chosen. */
    record Choice(String section, String dateBlockId, String date, String channel) {
        /** The date chosen in this section's own date menu (one of another section does not count). */
        String dateOfSection() {
            return section != null && dateBlock(section).equals(dateBlockId) ? date : null;
        }
    }

    static View form(List<String> sections, State state, String command) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(sectionInput(sections, state.section()));
        if (state.section() == null) {
            blocks.add(context(List.of(markdownText("Choose a section: its backups, and what the restore would leave out, show here."))));
        } else {
            String section = Mrkdwn.escape(state.section());
            Listing listing = state.listing();
            if (listing == null) {
                blocks.add(context(List.of(markdownText(":hourglass_flowing_sand: Listing the backups of *" + section + "*…"))));
            } else if (listing.error() != null) {
                blocks.add(Messages.text(":warning: Cannot list the backups of *" + section + "*: " + Mrkdwn.escape(listing.error())));
            } else if (listing.files().isEmpty()) {
                blocks.add(Messages.text(":warning: No backup of *" + section + "* was found."));
            } else {
                blocks.addAll(dateInput(state.section(), listing.files(), state.date(), command));
                blocks.addAll(plan(state.plan()));
            }
        }
        blocks.add(channelInput(state.channel()));
        blocks.add(context(List.of(markdownText("Approvers see the same plan before they approve. `" + command
                + " restore SECTION [DATE]` asks the same from a channel."))));
        return View.builder().type("modal").callbackId(ActionIds.REQUEST_VIEW).title(title())
                .submit(viewSubmit(t -> t.type("plain_text").text("Request"))).close(viewClose(t -> t.type("plain_text").text("Cancel"))).blocks(blocks).build();
    }

    /** The form in place of the request form for someone who may not ask. */
    static View refused(String why) {
        return outcome(Messages.plain(":no_entry: " + why));
    }

    /** Shown while the request is being submitted, when that takes longer than Slack waits for an answer. */
    static View submitting(String section, String date) {
        return outcome(Messages.plain(":hourglass_flowing_sand: Asking for a restore of *" + Mrkdwn.escape(section) + "* ("
                + Mrkdwn.escape(date) + ")…"));
    }

    /** How the request went, in place of the form. */
    static View outcome(Rendered message) {
        return View.builder().type("modal").callbackId(ActionIds.REQUEST_VIEW).title(title())
                .close(viewClose(t -> t.type("plain_text").text("Close"))).blocks(message.blocks()).build();
    }

    private static ViewTitle title() {
        return viewTitle(t -> t.type("plain_text").text(TITLE));
    }

    /** The block of the date menu of {@code section}: each section its own, so a new section starts at "latest". */
    static String dateBlock(String section) {
        String key = section.length() <= 200 ? section : Integer.toHexString(section.hashCode());
        return ActionIds.REQUEST_DATE_BLOCK + key;
    }

    static Choice choice(ViewState state) {
        Map<String, Map<String, ViewState.Value>> values = state == null || state.getValues() == null ? Map.of() : state.getValues();
        String dateBlock = values.keySet().stream().filter(k -> k.startsWith(ActionIds.REQUEST_DATE_BLOCK)).findFirst().orElse(null);
        ViewState.Value channel = value(values, ActionIds.REQUEST_CHANNEL_BLOCK, ActionIds.REQUEST_CHANNEL);
        return new Choice(selected(value(values, ActionIds.REQUEST_SECTION_BLOCK, ActionIds.REQUEST_SECTION)), dateBlock,
                dateBlock == null ? null : selected(value(values, dateBlock, ActionIds.REQUEST_DATE)),
                channel == null ? null : channel.getSelectedConversation());
    }

    private static ViewState.Value value(Map<String, Map<String, ViewState.Value>> values, String block, String action) {
        Map<String, ViewState.Value> b = values.get(block);
        return b == null ? null : b.get(action);
    }

    private static String selected(ViewState.Value v) {
        return v == null || v.getSelectedOption() == null ? null : v.getSelectedOption().getValue();
    }

    // ---- blocks ---------------------------------------------------------------------------------

    /** Up to 100 sections as options, more in groups of 100 (a name longer than an option value holds is left out). */
    private static LayoutBlock sectionInput(List<String> sections, String chosen) {
        List<OptionObject> options = sections.stream().filter(s -> s.length() <= MAX_OPTION_VALUE).map(s -> option(s, s)).toList();
        OptionObject initial = options.stream().filter(o -> o.getValue().equals(chosen)).findFirst().orElse(null);
        return input(i -> i.blockId(ActionIds.REQUEST_SECTION_BLOCK).label(plainText("Section")).dispatchAction(true)
                .element(staticSelect(s -> {
                    s.actionId(ActionIds.REQUEST_SECTION).placeholder(plainText("The database to restore")).initialOption(initial);
                    if (options.size() <= MAX_OPTIONS) return s.options(options);
                    return s.optionGroups(groups(options));
                })));
    }

    private static List<OptionGroupObject> groups(List<OptionObject> options) {
        List<OptionGroupObject> groups = new ArrayList<>();
        for (int from = 0; from < options.size() && groups.size() < MAX_OPTIONS; from += MAX_OPTIONS) {
            List<OptionObject> chunk = options.subList(from, Math.min(options.size(), from + MAX_OPTIONS));
            String label = chunk.get(0).getValue() + " … " + chunk.get(chunk.size() - 1).getValue();
            groups.add(OptionGroupObject.builder().label(plainText(PlainText.cut(label, MAX_OPTION_TEXT))).options(chunk).build());
        }
        return groups;
    }

    /** "latest" first, then one option a day, newest first; a date with several dumps is the one DateSpec picks anyway. */
    private static List<LayoutBlock> dateInput(String section, List<BackupFile> files, String chosen, String command) {
        Map<LocalDate, BackupFile> byDay = new LinkedHashMap<>();
        files.stream().sorted(Comparator.comparing(BackupFile::date).reversed()).forEach(f -> byDay.putIfAbsent(f.date(), f));
        List<BackupFile> days = new ArrayList<>(byDay.values());
        List<OptionObject> options = new ArrayList<>();
        options.add(option(LATEST + " · " + describe(days.get(0)), LATEST));
        days.stream().limit(MAX_OPTIONS - 1).forEach(f -> options.add(option(describe(f), f.date().toString())));
        String wanted = chosen == null ? LATEST : chosen;
        OptionObject initial = options.stream().filter(o -> o.getValue().equals(wanted)).findFirst().orElse(options.get(0));
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(input(i -> i.blockId(dateBlock(section)).label(plainText("Backup")).dispatchAction(true)
                .element(staticSelect(s -> s.actionId(ActionIds.REQUEST_DATE).options(options).initialOption(initial)))));
        if (days.size() > MAX_OPTIONS - 1) {
            blocks.add(context(List.of(markdownText("The newest " + (MAX_OPTIONS - 1) + " of " + days.size()
                    + " backup days; for an older one: `" + command + " restore " + Mrkdwn.escape(section) + " YYYY-MM-DD`"))));
        }
        return blocks;
    }

    private static String describe(BackupFile f) {
        return f.date() + " · " + (f.size().isPresent() ? Human.bytes(f.size().getAsLong()) : "size unknown");
    }

    private static List<LayoutBlock> plan(Plan plan) {
        if (plan == null) {
            return List.of(context(List.of(markdownText(":hourglass_flowing_sand: Working out what this restore would do…"))));
        }
        if (plan.error() != null) return List.of(Messages.text(":warning: " + Mrkdwn.escape(plan.error())));
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(Messages.text("*What this restore does*"));
        blocks.addAll(Messages.plan(plan.preview()));
        return blocks;
    }

    private static LayoutBlock channelInput(String channel) {
        return input(i -> i.blockId(ActionIds.REQUEST_CHANNEL_BLOCK).label(plainText("Post the request in"))
                .hint(plainText("Its thread follows the job: status, cancel and retry work there."))
                .element(conversationsSelect(c -> c.actionId(ActionIds.REQUEST_CHANNEL).initialConversation(channel)
                        .defaultToCurrentConversation(channel == null ? Boolean.TRUE : null)
                        .filter(new ConversationsFilter(List.of("public", "private"), true, true)))));
    }

    private static OptionObject option(String text, String value) {
        return OptionObject.builder().text(plainText(PlainText.cut(text, MAX_OPTION_TEXT))).value(value).build();
    }
}
