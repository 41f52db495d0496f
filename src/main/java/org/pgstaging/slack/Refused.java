package org.pgstaging.slack;

/**
 * Someone may not do what they asked: not an error, and its text is mrkdwn already (it may name
 * channels as {@code <#C…>}), so it is shown as it is, only to them.
 */
final class Refused extends RuntimeException {
    Refused(String mrkdwn) {
        super(mrkdwn, null, false, false);
    }

    Rendered message() {
        return Messages.plain(":no_entry: " + getMessage());
    }
}
