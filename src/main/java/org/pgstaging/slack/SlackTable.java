package org.pgstaging.slack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pgstaging.TextTable;

/**
 * A table to show in Slack, built from rows: as Slack's native {@code table} block ({@link #block()},
 * messages only, one per message) or as aligned monospace in a code block ({@link #fenced()}, for
 * a message's text fallback, a second table, or surfaces without table blocks such as the Home
 * tab). Either way within Slack's limits, rows that do not fit giving way to a "… N more" row.
 */
public final class SlackTable {
    /** Slack's limits for a table block: rows (the header is one), cells a row. */
    static final int MAX_ROWS = 100;
    static final int MAX_COLUMNS = 20;
    /**
     * Characters in all cells: Slack documents 10,000 for its data table and nothing for this one,
     * so the same budget, to be safe.
     */
    static final int MAX_CHARS = 10_000;
    /** Ours: a longer cell makes the table unreadable (and a code block's lines too wide). */
    static final int MAX_CELL = 200;
    /** What an empty cell shows: Slack refuses an empty raw_text. */
    static final String BLANK = "-";
    /** Slack's limit for a section's text, minus room for a title above the code block. */
    static final int FENCED_CHARS = 2900;

    private final String[] header;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String[]> footers = new ArrayList<>();

    public SlackTable(String... header) {
        if (header.length == 0 || header.length > MAX_COLUMNS) {
            throw new IllegalArgumentException(header.length + " columns, a Slack table has 1 to " + MAX_COLUMNS);
        }
        this.header = cells(header);
        this.right = new boolean[header.length];
    }

    /** Right-aligns these columns (numbers, sizes), in both forms. */
    public SlackTable alignRight(int... columns) {
        for (int c : columns) right[c] = true;
        return this;
    }

    /** One row; null cells are blank, cells longer than {@value #MAX_CELL} characters are cut. */
    public SlackTable row(String... cells) {
        rows.add(checked(cells));
        return this;
    }

    /** A line under the rows (a total), never left out when rows are. */
    public SlackTable footer(String... cells) {
        footers.add(checked(cells));
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * The table block: the header, as many rows as Slack's row and character limits leave room for,
     * a "… N more" row for the others, then the footers. Numbers right-aligned, text wrapping.
     */
    public TableBlock block() {
        List<List<TableBlock.Cell>> out = new ArrayList<>();
        out.add(blockRow(header));
        int chars = chars(header) + footers.stream().mapToInt(SlackTable::chars).sum();
        int room = MAX_ROWS - 1 - footers.size();
        int shown = 0;
        for (String[] r : rows) {
            boolean last = shown == rows.size() - 1;
            int reserve = last ? 0 : moreRow(rows.size()).length() + header.length;
            if (shown >= (last ? room : room - 1) || chars + chars(r) + reserve > MAX_CHARS) break;
            out.add(blockRow(r));
            chars += chars(r);
            shown++;
        }
        if (shown < rows.size()) {
            String[] more = new String[header.length];
            more[0] = moreRow(rows.size() - shown);
            out.add(blockRow(more));
        }
        footers.forEach(f -> out.add(blockRow(f)));
        List<TableBlock.ColumnSetting> settings = new ArrayList<>();
        for (boolean r : right) settings.add(r ? new TableBlock.ColumnSetting("right", null) : new TableBlock.ColumnSetting(null, true));
        return new TableBlock(TableBlock.TYPE, null, settings, out);
    }

    /** The monospace form in a code block, within {@value #FENCED_CHARS} characters. */
    public String fenced() {
        return fenced(FENCED_CHARS);
    }

    /**
     * At most {@code maxChars} long: rows that do not fit give way to a "… N more" line; the
     * footers are never cut. Lines are escaped after alignment (Slack shows {@code &amp;} as one
     * character) and backquotes cannot close the block.
     */
    public String fenced(int maxChars) {
        TextTable text = new TextTable(header);
        for (int c = 0; c < right.length; c++) if (right[c]) text.alignRight(c);
        rows.forEach(r -> text.row((Object[]) r));
        footers.forEach(f -> text.footer((Object[]) f));
        TextTable.Layout layout = text.layout(true);
        List<String> tail = new ArrayList<>();
        if (!layout.footers().isEmpty()) {
            tail.add(layout.rule());
            layout.footers().forEach(f -> tail.add(Mrkdwn.inCode(f)));
        }
        int budget = maxChars - 8 - tail.stream().mapToInt(s -> s.length() + 1).sum();
        StringBuilder out = new StringBuilder("```\n").append(Mrkdwn.inCode(layout.header())).append('\n')
                .append(layout.rule()).append('\n');
        int shown = 0;
        List<String> lines = layout.rows();
        for (String row : lines) {
            String l = Mrkdwn.inCode(row);
            int reserve = shown < lines.size() - 1 ? moreRow(lines.size()).length() + 1 : 0;
            if (out.length() + l.length() + 1 + reserve > budget) break;
            out.append(l).append('\n');
            shown++;
        }
        if (shown < lines.size()) out.append(moreRow(lines.size() - shown)).append('\n');
        tail.forEach(t -> out.append(t).append('\n'));
        return out.append("```").toString();
    }

    private static String moreRow(int more) {
        return "… " + more + " more";
    }

    private String[] checked(String[] cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.length);
        }
        return cells(cells);
    }

    private static String[] cells(String[] cells) {
        return Arrays.stream(cells).map(c -> c == null ? "" : PlainText.cut(c, MAX_CELL)).toArray(String[]::new);
    }

    private static List<TableBlock.Cell> blockRow(String[] cells) {
        return Arrays.stream(cells).map(c -> TableBlock.Cell.raw(c == null || c.isBlank() ? BLANK : c)).toList();
    }

    private static int chars(String[] cells) {
        return Arrays.stream(cells).mapToInt(c -> c.isBlank() ? BLANK.length() : c.length()).sum();
    }
}
