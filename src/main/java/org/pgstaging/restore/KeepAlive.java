package org.pgstaging.restore;

/**
 * When the console owes the server a ping: every {@link TargetProtocol#PING_SECONDS}, however many
 * lines the server sends meanwhile (a busy restore sends many; its client gives up on a console
 * that has been silent for {@link TargetProtocol#CONSOLE_SILENCE_SECONDS}).
 */
final class KeepAlive {
    private final long everyNanos;
    private long last;

    KeepAlive(long everyNanos, long now) {
        this.everyNanos = everyNanos;
        this.last = now;
    }

    /** True when a ping is due at {@code now}, which then counts as sent. */
    boolean due(long now) {
        if (now - last < everyNanos) return false;
        last = now;
        return true;
    }

    /** How long to wait for a line before the next ping is due. */
    long waitNanos(long now) {
        return Math.max(0, everyNanos - (now - last));
    }
}
