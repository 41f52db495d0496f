package org.pgstaging.slack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way text becomes Slack mrkdwn. Everything that did not come from the bot's own templates
 * (section and database names, dates, errors, hints, command output, what people typed) goes
 * through {@link #escape} or {@link #code}, so it can neither turn into a mention or a link nor
 * break the markup around it; {@link #cut} shortens mrkdwn to a Slack limit without splitting an
 * escape, a {@code <…>} token, a code fence or a character.
 */
public final class Mrkdwn {
    private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt);");
    private static final String FENCE = "```";

    private Mrkdwn() {}

    /** {@code &}, {@code <} and {@code >} as Slack asks; null reads as nothing. */
    public static String escape(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Inline code: escaped, with backquotes (which mrkdwn cannot escape and which would end the
     * code) shown as {@code '}, the same as in the tables' code blocks.
     */
    public static String code(String s) {
        return "`" + inCode(s) + "`";
    }

    /** The text of a code span or block: escaped, backquotes as {@code '}. */
    static String inCode(String s) {
        return escape(s).replace('`', '\'');
    }

    public static String user(String userId) {
        return "<@" + userId + ">";
    }

    /**
     * At most {@code max} characters: when {@code mrkdwn} is longer, it is cut between characters,
     * never inside {@code &amp;} and friends nor inside a {@code <@U…>}/{@code <!date…>} token, a
     * code block cut open is closed again, and the cut is marked "… N more characters" (N as the
     * reader counts them).
     */
    public static String cut(String mrkdwn, int max) {
        if (mrkdwn.length() <= max) return mrkdwn;
        String worstMark = "\n" + FENCE + "\n" + mark(mrkdwn.length());
        int end = safeEnd(mrkdwn, Math.max(0, max - worstMark.length()));
        String kept = mrkdwn.substring(0, end);
        String closing = fences(kept) % 2 == 1 ? "\n" + FENCE + "\n" : "";
        return kept + closing + mark(Graphemes.count(unescape(mrkdwn.substring(end))));
    }

    private static String mark(int more) {
        return "… " + more + " more characters";
    }

    /** The last place at or before {@code limit} where a cut leaves every escape and token whole. */
    private static int safeEnd(String s, int limit) {
        int end = Graphemes.boundaryAtOrBefore(s, limit);
        int amp = s.lastIndexOf('&', end - 1);
        if (amp >= 0) {
            Matcher entity = ENTITY.matcher(s).region(amp, s.length());
            if (entity.lookingAt() && entity.end() > end) end = amp;
        }
        int open = s.lastIndexOf('<', end - 1);
        if (open >= 0) {
            int close = s.indexOf('>', open);
            if (close < 0 || close >= end) end = open;
        }
        // between two backquotes of a fence: the fence would be half kept
        while (end > 0 && end < s.length() && s.charAt(end - 1) == '`' && s.charAt(end) == '`') end--;
        return end;
    }

    private static int fences(String s) {
        int n = 0;
        for (int i = s.indexOf(FENCE); i >= 0; i = s.indexOf(FENCE, i + FENCE.length())) n++;
        return n;
    }

    /**
     * Text as typed: Slack sends {@code &}, {@code <} and {@code >} escaped in what people write
     * (slash command text, messages), which the bot reads as the names they are.
     */
    public static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
