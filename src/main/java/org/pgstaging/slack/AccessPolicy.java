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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what: which channels the bot answers in, who may ask for work, who may approve it.
 * Approvers may be user-group IDs; their members come from usergroups.users.list, cached a few
 * minutes so a busy approval card does not hit the API on every click. When the API fails the
 * answer is "no" (fail closed) and the refusal says why.
 */
public final class AccessPolicy {
    private static final Logger log = LoggerFactory.getLogger(AccessPolicy.class);

    private final SlackSettings settings;
    private final LoadingCache<String, Set<String>> groupMembers;

    public AccessPolicy(SlackSettings settings, MethodsClient client) {
        this.settings = settings;
        this.groupMembers = Caffeine.newBuilder()
                // refreshed in the background after 4 minutes, so an ack never waits for Slack's API once warm
                .refreshAfterWrite(Duration.ofMinutes(4)).expireAfterWrite(Duration.ofMinutes(30)).maximumSize(100)
                .build(group -> members(client, group));
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

    /**
     * Requesters as configured (approvers may always ask). User IDs are checked locally; user groups
     * from the members cache, which {@link #warmUp()} fills at start so the ack does not wait on Slack.
     */
    public Optional<String> refuseRequester(String userId) {
        if (settings.requesters().isEmpty() || settings.requesterUsers().contains(userId)
                || settings.approverUsers().contains(userId) || inAnyGroup(userId, settings.requesterGroups())
                || inAnyGroup(userId, settings.approverGroups())) {
            return Optional.empty();
        }
        return Optional.of("You are not among the requesters of pgstaging; ask an approver to add your member ID (" + userId
                + ") to requesters in the [slack] section.");
    }

    /** Empty when {@code userId} may approve or deny a job requested by {@code requesterId}. */
    public Optional<String> refuseApprover(String userId, String requesterId) {
        if (!isApprover(userId)) {
            return Optional.of("Only approvers can approve or deny pgstaging requests.");
        }
        if (userId.equals(requesterId) && !settings.selfApproval()) {
            return Optional.of("You cannot approve or deny your own request; ask another approver.");
        }
        return Optional.empty();
    }

    /** Loads the members of every configured group, so the first request is answered from the cache. */
    public void warmUp() {
        for (String group : settings.requesterGroups()) inAnyGroup("", List.of(group));
        for (String group : settings.approverGroups()) inAnyGroup("", List.of(group));
    }

    public boolean isApprover(String userId) {
        return settings.approverUsers().contains(userId) || inAnyGroup(userId, settings.approverGroups());
    }

    private boolean inAnyGroup(String userId, List<String> groups) {
        for (String group : groups) {
            try {
                if (groupMembers.get(group).contains(userId)) return true;
            } catch (RuntimeException e) {
                log.warn("Cannot read members of user group {}: {}", group, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            }
        }
        return false;
    }
}
