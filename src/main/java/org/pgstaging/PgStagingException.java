package org.pgstaging;

/**
 * Base of every error pgstaging reports to a user. Carries a hint that says how to fix
 * the problem, so every face (console, command line, Slack) can show "what, where, how".
 */
public class PgStagingException extends RuntimeException {
    private final String hint;

    public PgStagingException(String message, String hint) {
        this(message, hint, null);
    }

    public PgStagingException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    /** How to fix it; may be null when there is nothing useful to add. */
    public String hint() {
        return hint;
    }
}
