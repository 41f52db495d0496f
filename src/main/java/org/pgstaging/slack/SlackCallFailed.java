package org.pgstaging.slack;

import org.pgstaging.PgStagingException;

/** A Web API call Slack did not carry out, with whether and when trying it again can help. */
public final class SlackCallFailed extends PgStagingException {
    private final String method;
    private final ApiAnswer.Retry retry;

    SlackCallFailed(String method, ApiAnswer.Retry retry, String message, String hint, Throwable cause) {
        super(message, hint, cause);
        this.method = method;
        this.retry = retry;
    }

    public String method() {
        return method;
    }

    ApiAnswer.Retry retry() {
        return retry;
    }
}
