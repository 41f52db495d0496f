package org.pgstaging.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Aligned text columns with an optional header; numbers can be right-aligned. */
final class Table {
    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String[]> footers = new ArrayList<>();

    Table(String... headers) {
        this.headers = headers;
        this.right = new boolean[headers.length];
    }

    Table alignRight(int column) {
        right[column] = true;
        return this;
    }

    Table row(Object... cells) {
        rows.add(strings(cells));
        return this;
    }

    /** A line after the rows (e.g. a total), aligned with them but shown even without headers. */
    Table footer(Object... cells) {
        footers.add(strings(cells));
        return this;
    }

    boolean isEmpty() { return rows.isEmpty(); }

    /** Rendered lines, trailing blanks trimmed; {@code withHeader} false gives bare rows for scripts. */
    List<String> lines(boolean withHeader) {
        int[] width = new int[headers.length];
        List<String[]> all = new ArrayList<>();
        if (withHeader) all.add(headers);
        all.addAll(rows);
        all.addAll(footers);
        for (String[] r : all) {
            for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        }
        List<String> out = new ArrayList<>();
        for (String[] r : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) sb.append("  ");
                String pad = " ".repeat(width[i] - r[i].length());
                sb.append(right[i] ? pad + r[i] : r[i] + pad);
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }

    private String[] strings(Object[] cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length);
        }
        return Arrays.stream(cells).map(c -> c == null ? "" : String.valueOf(c)).toArray(String[]::new);
    }
}
