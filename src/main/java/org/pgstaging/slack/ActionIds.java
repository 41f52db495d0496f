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

    /** callback_id of the global shortcut opening the request form (the manifests declare it). */
    public static final String REQUEST_SHORTCUT = "pgstaging_request";
    /** The Home tab's "Request a restore" button. */
    public static final String HOME_REQUEST = "home_request";
    /** callback_id of the request form. */
    public static final String REQUEST_VIEW = "restore_request";
    public static final String REQUEST_SECTION_BLOCK = "request_section";
    public static final String REQUEST_SECTION = "section";
    /** Followed by the section's key: a new section brings a new block, whose choice starts afresh at "latest". */
    public static final String REQUEST_DATE_BLOCK = "request_date.";
    public static final String REQUEST_DATE = "date";
    public static final String REQUEST_CHANNEL_BLOCK = "request_channel";
    public static final String REQUEST_CHANNEL = "channel";
}
