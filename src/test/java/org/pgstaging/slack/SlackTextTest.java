package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Escaping and cutting: {@link Mrkdwn}, {@link PlainText}, {@link Graphemes}. */
class SlackTextTest {
    /** Man, woman, girl joined by zero-width joiners: 8 UTF-16 units, one character on screen. */
    static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
    /** Regional indicators F and R: one flag. */
    static final String FLAG = "\uD83C\uDDEB\uD83C\uDDF7";
    /** Thumbs up with a skin tone: two surrogate pairs, one character. */
    static final String THUMB = "\uD83D\uDC4D\uD83C\uDFFD";

    @Test
    void escapesTheThreeControlCharactersOnly() {
        assertThat(Mrkdwn.escape("a & b <!channel> <b>x</b> *bold* é")).isEqualTo("a &amp; b &lt;!channel&gt; &lt;b&gt;x&lt;/b&gt; *bold* é");
        assertThat(Mrkdwn.escape(null)).isEmpty();
        assertThat(Mrkdwn.unescape("a &amp;lt; &lt;!here&gt;")).isEqualTo("a &lt; <!here>");
    }

    @Test
    void inlineCodeCannotBeClosedFromInside() {
        assertThat(Mrkdwn.code("db`name<x>&")).isEqualTo("`db'name&lt;x&gt;&amp;`");
    }

    @Test
    void shortTextIsLeftAlone() {
        assertThat(Mrkdwn.cut("a &amp; b", 9)).isEqualTo("a &amp; b");
        assertThat(PlainText.cut("Switch foodb", 75)).isEqualTo("Switch foodb");
    }

    @Test
    void aCutNeverSplitsAnEscape() {
        // the room left for text (30 - 25 for the mark) ends inside "&amp;": the cut goes before it
        assertThat(Mrkdwn.cut("ab&amp;cd" + "e".repeat(40), 30)).isEqualTo("ab… 43 more characters");
        // right after an escape is a fine place
        assertThat(Mrkdwn.cut("abcd&lt;" + "e".repeat(40), 33)).isEqualTo("abcd&lt;… 40 more characters");
    }

    @Test
    void aCutNeverSplitsACharacter() {
        assertThat(Mrkdwn.cut("ab" + FAMILY + "c".repeat(40), 30)).isEqualTo("ab… 41 more characters");
        assertThat(Mrkdwn.cut("a" + FLAG + THUMB + "c".repeat(40), 33)).isEqualTo("a" + FLAG + "… 41 more characters");
    }

    @Test
    void aCutNeverSplitsAMentionOrADate() {
        assertThat(Mrkdwn.cut("hi <@U0ALICE> " + "x".repeat(40), 30)).isEqualTo("hi … 51 more characters");
        assertThat(Mrkdwn.cut("at <!date^1700000000^{time}|10:00> " + "x".repeat(40), 40)).isEqualTo("at … 72 more characters");
    }

    @Test
    void aCodeBlockCutOpenIsClosed() {
        String block = "*T*\n```\n" + "line\n".repeat(20) + "```";
        assertThat(Mrkdwn.cut(block, 40)).isEqualTo("*T*\n```\nline\nl\n```\n… 97 more characters");
        // never between the backquotes of a fence
        String fence = "x".repeat(14) + "```\ncode\n```" + "y".repeat(40);
        assertThat(Mrkdwn.cut(fence, 41)).isEqualTo("x".repeat(14) + "… 52 more characters");
    }

    /** Whatever the limit, the cut fits, ends with its mark and leaves every escape, token and character whole. */
    @Test
    void everyCutOfHostileTextIsWhole() {
        String hostile = ("<@U0ALICE> a&amp;b &lt;!channel&gt; " + FAMILY + FLAG + THUMB + " é\u0301 ```x``` ").repeat(40);
        for (int max = 30; max < hostile.length(); max += 7) {
            String cut = Mrkdwn.cut(hostile, max);
            assertThat(cut.length()).as("cut to %d", max).isLessThanOrEqualTo(max);
            assertThat(cut).matches("(?s).*… \\d+ more characters");
            String kept = cut.substring(0, cut.lastIndexOf("…"));
            assertThat(kept.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")).doesNotContain("&");
            assertThat(kept.replaceAll("<@U0ALICE>", "")).doesNotContain("<").doesNotContain(">");
            assertThat(wholeCharacters(kept)).as("cut to %d", max).isTrue();
            assertThat(hostile).startsWith(kept.endsWith("\n```\n") && !hostile.startsWith(kept) ? kept.substring(0, kept.length() - 5) : kept);
        }
    }

    @Test
    void plainTextIsCutBetweenCharactersWithAnEllipsis() {
        String label = "Switch foodb to " + THUMB.repeat(40);
        assertThat(PlainText.cut(label, 75)).isEqualTo("Switch foodb to " + THUMB.repeat(14) + "…");
        assertThat(PlainText.cut("é\u0301".repeat(10), 8)).isEqualTo("é\u0301".repeat(3) + "…");
        assertThat(PlainText.cut(null, 10)).isEmpty();
    }

    @Test
    void graphemesAreWhatPeopleSee() {
        String s = "a" + FAMILY + FLAG + THUMB + "e\u0301";
        assertThat(Graphemes.count(s)).isEqualTo(5);
        assertThat(Graphemes.prefix(s, 8)).isEqualTo("a");
        assertThat(Graphemes.prefix(s, 9)).isEqualTo("a" + FAMILY);
        assertThat(Graphemes.suffix(s, 7)).isEqualTo(THUMB + "e\u0301");
        assertThat(Graphemes.suffix(s, 5)).isEqualTo("e\u0301");
    }

    /** No lone surrogate: what Slack would show as "?". */
    static boolean wholeCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
