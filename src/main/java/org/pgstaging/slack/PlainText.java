package org.pgstaging.slack;

import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.composition.PlainTextObject;

/**
 * Slack's {@code plain_text} fields (button labels, headers, modal and dialog titles): shown as
 * given, so not escaped, but each has a limit of its own, and a text too long for it is cut
 * between characters and ends with "…".
 */
public final class PlainText {
    /** Button labels and the text of select options. */
    public static final int BUTTON = 75;
    /** Header blocks and input placeholders. */
    public static final int HEADER = 150;
    /** Confirmation dialog titles. */
    public static final int DIALOG_TITLE = 100;
    /** Confirmation dialog buttons. */
    public static final int DIALOG_BUTTON = 30;
    /** Modal titles, submit and close buttons. */
    public static final int MODAL_TITLE = 24;
    /** Section and input texts, labels. */
    public static final int TEXT = 3000;

    private PlainText() {}

    /** {@code s} within {@code max} characters. */
    public static String cut(String s, int max) {
        if (s == null) return "";
        if (s.length() <= max) return s;
        return Graphemes.prefix(s, max - 1) + "…";
    }

    /** A {@code plain_text} object holding {@code s} within {@code max} characters. */
    public static PlainTextObject of(String s, int max) {
        return plainText(cut(s, max));
    }
}
