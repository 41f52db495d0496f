package org.pgstaging.job.store;

import org.pgstaging.config.Section;

/**
 * The PostgreSQL server a job works on ({@code host} + {@code postgres_port} of its section):
 * restores are serialized per server key and run side by side across keys.
 */
public record ServerKey(String host, int port) {
    public ServerKey {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("server host must not be blank");
        }
        host = host.trim();
    }

    public static ServerKey of(Section section) {
        return new ServerKey(section.host(), section.postgresPort());
    }

    /** Stored form, {@code host:port}. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
