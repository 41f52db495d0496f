package org.pgstaging.slack;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.model.User;
import java.time.Duration;

/**
 * Display names for tables, where mentions do not render (inside code blocks). users.info per user,
 * cached for an hour; the ID itself when the lookup fails.
 */
public final class UserNames {
    private final LoadingCache<String, String> names;

    public UserNames(MethodsClient client) {
        this.names = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).maximumSize(1000).build(id -> {
            try {
                UsersInfoResponse r = client.usersInfo(q -> q.user(id));
                if (!r.isOk() || r.getUser() == null) return id;
                User u = r.getUser();
                if (u.getProfile() != null && u.getProfile().getDisplayName() != null && !u.getProfile().getDisplayName().isBlank()) {
                    return u.getProfile().getDisplayName();
                }
                return u.getName() != null ? u.getName() : id;
            } catch (Exception e) {
                return id;
            }
        });
    }

    public String name(String userId) {
        return userId == null ? "" : names.get(userId);
    }
}
