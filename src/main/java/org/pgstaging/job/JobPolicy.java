package org.pgstaging.job;

import java.util.List;
import java.util.Optional;

/**
 * Who may do what with jobs: ask for one, approve or deny it, cancel it. Members of user groups
 * come from {@link GroupMembers} (for Slack, usergroups.users.list); when they cannot be read the
 * answer is "no" (fail closed). Each refusal says why and what to do.
 *
 * @param requesters   user and group IDs who may ask; empty: anyone the face lets through
 * @param approvers    user and group IDs who may approve, deny and cancel; they may always ask
 * @param selfApproval whether a requester may approve their own job
 */
public record JobPolicy(List<String> requesters, List<String> approvers, boolean selfApproval, GroupMembers groups) {

    /** Whether a user belongs to a group (group IDs start with S, as Slack's). */
    @FunctionalInterface
    public interface GroupMembers {
        boolean contains(String group, String user);
    }

    public JobPolicy {
        requesters = List.copyOf(requesters);
        approvers = List.copyOf(approvers);
    }

    /** Empty when {@code user} may ask for jobs, else the refusal. */
    public Optional<String> refuseRequester(String user) {
        if (requesters.isEmpty() || among(user, requesters) || among(user, approvers)) return Optional.empty();
        return Optional.of("You are not among the requesters of pgstaging; ask an approver to add your member ID (" + user
                + ") to requesters in the [slack] section.");
    }

    /** Empty when {@code user} may approve or deny a job asked for by {@code requester}. */
    public Optional<String> refuseApprover(String user, String requester) {
        if (!isApprover(user)) return Optional.of("Only approvers can approve or deny pgstaging requests.");
        if (user.equals(requester) && !selfApproval) {
            return Optional.of("You cannot approve or deny your own request; ask another approver.");
        }
        return Optional.empty();
    }

    /** Empty when {@code user} may cancel a job asked for by {@code requester}: its requester or an approver. */
    public Optional<String> refuseCanceller(String user, String requester) {
        if (user.equals(requester) || isApprover(user)) return Optional.empty();
        return Optional.of("Only the requester or an approver can cancel this job.");
    }

    /** Throws the refusal when {@code refusal} holds one: how the job layer enforces these rules. */
    public static void enforce(Optional<String> refusal) {
        if (refusal.isPresent()) throw new JobRefusedException(refusal.get());
    }

    /** Reads the members of every group named, so the first request is answered without waiting for them. */
    public void warmUp() {
        for (String id : requesters) if (id.startsWith("S")) groups.contains(id, "");
        for (String id : approvers) if (id.startsWith("S")) groups.contains(id, "");
    }

    public boolean isApprover(String user) {
        return among(user, approvers);
    }

    private boolean among(String user, List<String> ids) {
        for (String id : ids) {
            if (id.startsWith("S") ? groups.contains(id, user) : id.equals(user)) return true;
        }
        return false;
    }
}
