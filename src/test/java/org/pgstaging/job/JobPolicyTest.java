package org.pgstaging.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may ask, approve, deny and cancel, without Slack: groups are a map. */
class JobPolicyTest {
    private static final Map<String, Set<String>> GROUPS = Map.of("S0DBAS", Set.of("U0DAVE"), "S0DEVS", Set.of("U0ERIN"));
    private static final JobPolicy.GroupMembers MEMBERS = (group, user) -> GROUPS.getOrDefault(group, Set.of()).contains(user);

    private final JobPolicy policy = new JobPolicy(List.of("U0ALICE", "S0DEVS"), List.of("U0CAROL", "S0DBAS"), false, MEMBERS);

    @Test
    void requestersAreTheListedUsersTheirGroupsAndEveryApprover() {
        assertThat(policy.refuseRequester("U0ALICE")).isEmpty();
        assertThat(policy.refuseRequester("U0ERIN")).as("in a requester group").isEmpty();
        assertThat(policy.refuseRequester("U0CAROL")).as("approvers may ask").isEmpty();
        assertThat(policy.refuseRequester("U0DAVE")).as("in an approver group").isEmpty();
        assertThat(policy.refuseRequester("U0MALLORY")).get().asString().contains("U0MALLORY").contains("requesters");
        assertThat(new JobPolicy(List.of(), List.of("U0CAROL"), false, MEMBERS).refuseRequester("U0ANYONE"))
                .as("no requesters listed: anyone").isEmpty();
    }

    @Test
    void approversMayNotApproveTheirOwnUnlessAllowed() {
        assertThat(policy.refuseApprover("U0CAROL", "U0ALICE")).isEmpty();
        assertThat(policy.refuseApprover("U0DAVE", "U0ALICE")).as("in an approver group").isEmpty();
        assertThat(policy.refuseApprover("U0ALICE", "U0ERIN")).get().asString().contains("Only approvers");
        assertThat(policy.refuseApprover("U0CAROL", "U0CAROL")).get().asString().contains("your own request");
        assertThat(new JobPolicy(List.of(), List.of("U0CAROL"), true, MEMBERS).refuseApprover("U0CAROL", "U0CAROL")).isEmpty();
    }

    @Test
    void theRequesterOrAnApproverMayCancel() {
        assertThat(policy.refuseCanceller("U0ALICE", "U0ALICE")).isEmpty();
        assertThat(policy.refuseCanceller("U0DAVE", "U0ALICE")).isEmpty();
        assertThat(policy.refuseCanceller("U0ERIN", "U0ALICE")).get().asString().contains("Only the requester or an approver");
    }

    @Test
    void unreadableGroupsRefuse() {
        JobPolicy blind = new JobPolicy(List.of("S0DEVS"), List.of("S0DBAS"), false, (group, user) -> false);
        assertThat(blind.refuseRequester("U0ERIN")).isPresent();
        assertThat(blind.isApprover("U0DAVE")).isFalse();
    }
}
