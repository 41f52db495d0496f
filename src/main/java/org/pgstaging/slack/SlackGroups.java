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
import java.util.Set;
import org.pgstaging.job.JobPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Members of Slack user groups for the {@link JobPolicy}, read with usergroups.users.list and cached
 * a few minutes so a busy approval card does not hit the API on every click. When the API fails the
 * answer is "not a member" (fail closed).
 */
final class SlackGroups implements JobPolicy.GroupMembers {
    private static final Logger log = LoggerFactory.getLogger(SlackGroups.class);

    private final LoadingCache<String, Set<String>> members;

    SlackGroups(MethodsClient client) {
        this.members = Caffeine.newBuilder()
                // refreshed in the background after 4 minutes, so an ack never waits for Slack's API once warm
                .refreshAfterWrite(Duration.ofMinutes(4)).expireAfterWrite(Duration.ofMinutes(30)).maximumSize(100)
                .build(group -> read(client, group));
    }

    @Override
    public boolean contains(String group, String user) {
        try {
            return members.get(group).contains(user);
        } catch (RuntimeException e) {
            log.warn("Cannot read members of user group {}: {}", group, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            return false;
        }
    }

    private static Set<String> read(MethodsClient client, String group) throws IOException, SlackApiException {
        UsergroupsUsersListResponse r = client.usergroupsUsersList(q -> q.usergroup(group));
        if (!r.isOk()) {
            throw new IOException("usergroups.users.list " + group + ": " + r.getError());
        }
        return new HashSet<>(r.getUsers() == null ? List.of() : r.getUsers());
    }
}
