package org.pgstaging.slack;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pgstaging.job.JobPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's side of who may do what: which channels it answers in, and the members of the user
 * groups the {@link JobPolicy} (the rules themselves, in the job layer) names, read with
 * usergroups.users.list and cached a few minutes so a busy approval card does not hit the API on
 * every click. When the API fails the answer is "no" (fail closed).
 */
public final class AccessPolicy {
    private static final Logger log = LoggerFactory.getLogger(AccessPolicy.class);

    private final SlackSettings settings;
    private final LoadingCache<String, Set<String>> groupMembers;
    private final JobPolicy policy;

    public AccessPolicy(SlackSettings settings, MethodsClient client) {
        this.settings = settings;
        this.groupMembers = Caffeine.newBuilder()
                // refreshed in the background after 4 minutes, so an ack never waits for Slack's API once warm
                .refreshAfterWrite(Duration.ofMinutes(4)).expireAfterWrite(Duration.ofMinutes(30)).maximumSize(100)
                .build(group -> members(client, group));
        List<String> approvers = new java.util.ArrayList<>(settings.approverUsers());
        approvers.addAll(settings.approverGroups());
        this.policy = new JobPolicy(settings.requesters(), approvers, settings.selfApproval(), this::inGroup);
    }

    /** The rules: who may ask, approve, deny, cancel. */
    public JobPolicy policy() {
        return policy;
    }

    private static Set<String> members(MethodsClient client, String group) throws IOException, SlackApiException {
        UsergroupsUsersListResponse r = client.usergroupsUsersList(q -> q.usergroup(group));
        if (!r.isOk()) {
            throw new IOException("usergroups.users.list " + group + ": " + r.getError());
        }
        return new HashSet<>(r.getUsers() == null ? List.of() : r.getUsers());
    }

    /** Empty when the bot may answer in this channel, else the refusal. */
    public Optional<String> refuseChannel(String channelId) {
        if (settings.channels().isEmpty() || settings.channels().contains(channelId)) return Optional.empty();
        return Optional.of("pgstaging does not take requests in this channel. Use "
                + String.join(", ", settings.channels().stream().map(c -> "<#" + c + ">").toList()) + ".");
    }

    /** Empty when {@code userId} may ask for work (see {@link JobPolicy#refuseRequester}). */
    public Optional<String> refuseRequester(String userId) {
        return policy.refuseRequester(userId);
    }

    /** Empty when {@code userId} may approve or deny a job requested by {@code requesterId}. */
    public Optional<String> refuseApprover(String userId, String requesterId) {
        return policy.refuseApprover(userId, requesterId);
    }

    /** Empty when {@code userId} may cancel a job requested by {@code requesterId}. */
    public Optional<String> refuseCanceller(String userId, String requesterId) {
        return policy.refuseCanceller(userId, requesterId);
    }

    /** Loads the members of every configured group, so the first request is answered from the cache. */
    public void warmUp() {
        for (String group : settings.requesterGroups()) inGroup(group, "");
        for (String group : settings.approverGroups()) inGroup(group, "");
    }

    public boolean isApprover(String userId) {
        return policy.isApprover(userId);
    }

    private boolean inGroup(String group, String userId) {
        try {
            return groupMembers.get(group).contains(userId);
        } catch (RuntimeException e) {
            log.warn("Cannot read members of user group {}: {}", group, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            return false;
        }
    }

}
