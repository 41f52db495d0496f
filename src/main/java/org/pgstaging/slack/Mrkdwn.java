package org.pgstaging.slack;

/** Slack's mrkdwn control characters; user-supplied text must not turn into mentions or links. */
public final class Mrkdwn {
    private Mrkdwn() {}

    public static String escape(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public static String user(String userId) {
        return "<@" + userId + ">";
    }

    /** Cuts to Slack's per-field limit, saying how much was left out. */
    public static String limit(String s, int max) {
        if (s.length() <= max) return s;
        String more = "… " + (s.length() - max + 40) + " more characters";
        return s.substring(0, Math.max(0, max - 40)) + more;
    }
}
