package org.pgstaging.job.store;

import org.pgstaging.job.model.JobKind;
import java.util.Locale;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.config.Section;

/**
 * What someone asks for, before it becomes a {@link Job}. Validated here so nothing is stored
 * for a malformed request.
 *
 * @param dateSpec         as the user typed it (validated by {@link DateSpec#parse}); null for kinds without a date
 * @param targetDatabase   when already known (an exact date); the runner reports it otherwise
 * @param approvalRequired false when the section says {@code approval = none}: the job is queued at once
 * @param channel          where the request was made (Slack channel id), may be null
 * @param threadTs         thread the bot answers in, may be null
 */
public record JobRequest(JobKind kind, String section, String dateSpec, String targetDatabase, String serverKey,
                         String requestedBy, boolean approvalRequired, String channel, String threadTs) {

    /** Section option that turns approval off with the value {@code none}. */
    public static final String APPROVAL_OPTION = "approval";

    public JobRequest {
        if (kind == null) throw invalid("job kind is missing", "say what to do: restore, drop, purge, switch, fetch or vacuumdb");
        section = required(section, "section", "name the section of the configuration, e.g. foodb.dev");
        serverKey = required(serverKey, "server key", "give the section's host and postgres_port");
        requestedBy = required(requestedBy, "requester", "say who asks for the job");
        if (dateSpec != null && !dateSpec.isBlank()) {
            dateSpec = DateSpec.parse(dateSpec).toString();
        } else {
            dateSpec = null;
        }
        targetDatabase = targetDatabase == null || targetDatabase.isBlank() ? null : targetDatabase.trim();
    }

    /**
     * A request on a configured section: server key from {@code host}/{@code postgres_port}, approval
     * from {@code approval} (only {@code none} skips it), target database known for an exact date.
     */
    public static JobRequest of(Section section, JobKind kind, DateSpec date, String requestedBy) {
        String target = null;
        if (date != null && date.kind() == DateSpec.Kind.EXACT) {
            target = section.dbname() + "_" + DateSpec.compact(date.fixedDate(null).orElseThrow());
        }
        return new JobRequest(kind, section.name(), date == null ? null : date.toString(), target,
                ServerKey.of(section).toString(), requestedBy, approvalRequired(section), null, null);
    }

    public static boolean approvalRequired(Section section) {
        return !section.get(APPROVAL_OPTION).map(v -> v.toLowerCase(Locale.ROOT).equals("none")).orElse(false);
    }

    /** The same request waiting for an approval whatever the section says (a confirmation to record as one). */
    public JobRequest needingApproval() {
        return new JobRequest(kind, section, dateSpec, targetDatabase, serverKey, requestedBy, true, channel, threadTs);
    }

    /** The same request, answered in a Slack thread. */
    public JobRequest inThread(String channel, String threadTs) {
        return new JobRequest(kind, section, dateSpec, targetDatabase, serverKey, requestedBy, approvalRequired,
                channel, threadTs);
    }

    private static String required(String value, String what, String hint) {
        if (value == null || value.isBlank()) throw invalid("job request without " + what, hint);
        return value.trim();
    }

    private static PgStagingException invalid(String message, String hint) {
        return new PgStagingException(message, hint);
    }
}
