package org.pgstaging.restore;

import org.pgstaging.PgStagingException;

/** A restore stopped at {@code step}; {@code cleanup} says what was undone, so users know what is left. */
public class RestoreFailedException extends PgStagingException {
    private final Step step;
    private final String cleanup;

    public RestoreFailedException(Step step, String message, String hint, String cleanup, Throwable cause) {
        super(step.label() + " failed: " + message, hint, cause);
        this.step = step;
        this.cleanup = cleanup;
    }

    public Step step() { return step; }

    public String cleanup() { return cleanup; }
}
