package org.pgstaging.job.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Which bot process runs a job, as stored in the job's {@code owner}: the host (in Kubernetes the
 * pod's name), the process id and a random tag. The tag tells apart two lives of one container,
 * where the process id is the same (often 1) after a restart.
 */
public final class Replica {
    private final String name;

    private Replica(String name) {
        this.name = name;
    }

    /** This process. */
    public static Replica current() {
        byte[] tag = new byte[3];
        new SecureRandom().nextBytes(tag);
        return new Replica(hostName() + "/" + ProcessHandle.current().pid() + "/" + HexFormat.of().formatHex(tag));
    }

    /** A replica by name, as tests and tools read it back from the store. */
    public static Replica named(String name) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw new IllegalArgumentException("a replica name is 1 to 255 characters");
        }
        return new Replica(name);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.trim();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Replica r && r.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
