package org.pgstaging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aligned text columns, the one layout behind the console's tables and the bot's ``` blocks:
 * each column as wide as its widest cell, chosen columns (numbers) right-aligned, trailing blanks
 * trimmed. The faces decorate the lines (the bot adds a rule, fences and a length limit).
 */
public final class TextTable {
    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String[]> footers = new ArrayList<>();

    public TextTable(String... headers) {
        this.headers = headers.clone();
        this.right = new boolean[headers.length];
    }

    public TextTable alignRight(int... columns) {
        for (int c : columns) right[c] = true;
        return this;
    }

    /** One row; null cells are blank. */
    public TextTable row(Object... cells) {
        rows.add(strings(cells));
        return this;
    }

    /** A line after the rows (e.g. a total), aligned with them but shown even without headers. */
    public TextTable footer(Object... cells) {
        footers.add(strings(cells));
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public int size() {
        return rows.size();
    }

    /** Header (when {@code withHeader}), rows and footers, aligned. */
    public List<String> lines(boolean withHeader) {
        return layout(withHeader).lines();
    }

    /** The table laid out; the header counts in the column widths only when shown. */
    public Layout layout(boolean withHeader) {
        int[] width = new int[headers.length];
        if (withHeader) measure(headers, width);
        rows.forEach(r -> measure(r, width));
        footers.forEach(r -> measure(r, width));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        return new Layout(withHeader ? line(headers, width) : null, rule.toString(),
                rows.stream().map(r -> line(r, width)).toList(), footers.stream().map(r -> line(r, width)).toList());
    }

    /**
     * Aligned lines by part. {@code header} is null when not shown; {@code rule} is a line of dashes
     * under each column, for faces that separate the header or the totals.
     */
    public record Layout(String header, String rule, List<String> rows, List<String> footers) {
        public List<String> lines() {
            List<String> all = new ArrayList<>();
            if (header != null) all.add(header);
            all.addAll(rows);
            all.addAll(footers);
            return all;
        }
    }

    private static void measure(String[] r, int[] width) {
        for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
    }

    private String line(String[] r, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.length; i++) {
            if (i > 0) sb.append("  ");
            String pad = " ".repeat(width[i] - r[i].length());
            sb.append(right[i] ? pad + r[i] : r[i] + pad);
        }
        return sb.toString().stripTrailing();
    }

    private String[] strings(Object[] cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length);
        }
        return Arrays.stream(cells).map(c -> c == null ? "" : String.valueOf(c)).toArray(String[]::new);
    }
}
