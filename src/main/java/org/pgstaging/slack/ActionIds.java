package org.pgstaging.slack;

/** action_id and callback_id values shared by the message builders and the handlers. */
public final class ActionIds {
    private ActionIds() {}

    public static final String APPROVE = "job_approve";
    public static final String DENY = "job_deny";
    public static final String CANCEL = "job_cancel";
    public static final String RETRY = "job_retry";
    public static final String SWITCH = "copy_switch";
    public static final String DROP = "copy_drop";
    public static final String PURGE = "copy_purge";
    /** callback_id of the modal asking why a job is denied. */
    public static final String DENY_VIEW = "deny_reason";
    public static final String DENY_REASON_BLOCK = "reason_block";
    public static final String DENY_REASON_INPUT = "reason";
}
