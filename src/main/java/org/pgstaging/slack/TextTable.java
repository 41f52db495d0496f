package org.pgstaging.slack;

import java.util.ArrayList;
import java.util.List;

/**
 * A monospace table for a ``` block: columns padded to their widest cell, numbers right-aligned,
 * cut to fit Slack's 3000-character text limit with a "… N more" line instead of failing the call.
 */
public final class TextTable {
    /** Slack's limit for a section text, minus room for the fences and the "more" line. */
    static final int MAX_CHARS = 2900;

    private final List<String> header;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<List<String>> footer = new ArrayList<>();

    public TextTable(List<String> header, boolean... rightAligned) {
        this.header = header;
        this.rightAligned = rightAligned.length == header.size() ? rightAligned : new boolean[header.size()];
    }

    public TextTable row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    /** A closing line under a rule, e.g. totals; never cut. */
    public TextTable footer(String... cells) {
        footer.add(List.of(cells));
        return this;
    }

    public int size() {
        return rows.size();
    }

    /** The table wrapped in ``` fences, at most {@code maxChars} characters long. */
    public String render(int maxChars) {
        int[] w = new int[header.size()];
        measure(header, w);
        rows.forEach(r -> measure(r, w));
        footer.forEach(r -> measure(r, w));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) rule.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        List<String> tail = new ArrayList<>();
        if (!footer.isEmpty()) {
            tail.add(rule.toString());
            footer.forEach(f -> tail.add(line(f, w)));
        }
        int budget = maxChars - 8 - tail.stream().mapToInt(s -> s.length() + 1).sum();
        StringBuilder out = new StringBuilder("```\n").append(line(header, w)).append('\n').append(rule).append('\n');
        int shown = 0;
        for (List<String> r : rows) {
            String l = line(r, w);
            int more = rows.size() - shown - 1;
            int reserve = more > 0 ? 20 : 0;
            if (out.length() + l.length() + 1 + reserve > budget) break;
            out.append(l).append('\n');
            shown++;
        }
        if (shown < rows.size()) out.append("… ").append(rows.size() - shown).append(" more\n");
        tail.forEach(t -> out.append(t).append('\n'));
        return out.append("```").toString();
    }

    public String render() {
        return render(MAX_CHARS);
    }

    private static void measure(List<String> r, int[] w) {
        for (int i = 0; i < w.length && i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
    }

    private String line(List<String> r, int[] w) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String c = i < r.size() ? r.get(i) : "";
            String pad = " ".repeat(w[i] - c.length());
            if (i > 0) b.append("  ");
            b.append(rightAligned[i] ? pad + c : (i == w.length - 1 ? c : c + pad));
        }
        return Mrkdwn.escape(b.toString().stripTrailing()).replace('`', '\'');
    }
}
