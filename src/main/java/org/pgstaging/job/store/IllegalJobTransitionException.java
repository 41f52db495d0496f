package org.pgstaging.job.store;

import org.pgstaging.job.model.JobState;
import java.util.Set;
import java.util.stream.Collectors;
import org.pgstaging.PgStagingException;

/** A decision that does not apply to the job's current state, e.g. approving a job that is DONE. */
public class IllegalJobTransitionException extends PgStagingException {
    private final long jobId;
    private final JobState current;

    public IllegalJobTransitionException(long jobId, JobState current, String action, String allowedStates) {
        super("job #" + jobId + " is " + current + ": cannot " + action + " it",
                action + " applies only to jobs that are " + allowedStates + "; see the queue listing for job states");
        this.jobId = jobId;
        this.current = current;
    }

    static IllegalJobTransitionException of(long jobId, JobState current, String action, Set<JobState> from) {
        String allowed = from.stream().map(Enum::name).collect(Collectors.joining(" or "));
        return new IllegalJobTransitionException(jobId, current, action, allowed);
    }

    public long jobId() { return jobId; }

    public JobState current() { return current; }
}
