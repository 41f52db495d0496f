package org.pgstaging.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server (/usr/sbin/sshd) on one or more loopback addresses and a free port, with its
 * own host key, sshd_config and authorized_keys (one client key, generated here, for every login
 * user), in the foreground as a child process. It must run as root (it switches to the login user).
 * {@link #knownHosts()} holds its host key for each address, as a console's known_hosts would.
 * Logins are logged in {@link #log()} ({@code LogLevel VERBOSE}: one "Accepted publickey" line per
 * connection).
 */
public final class SshServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final List<String> addresses;
    private final int port;
    private Process process;

    private SshServer(Path dir, List<String> addresses, int port) {
        this.dir = dir;
        this.addresses = List.copyOf(addresses);
        this.port = port;
    }

    public static SshServer start(List<String> addresses) {
        if (!Unprivileged.isRoot()) throw new IllegalStateException("sshd needs root to switch to its login users");
        Path dir;
        try {
            dir = Files.createTempDirectory("pgstaging-sshd");
            Unprivileged.makeReadable(dir);
            keygen(dir.resolve("host_ed25519"));
            keygen(dir.resolve("client_ed25519"));
            keygen(dir.resolve("other_ed25519"));
            Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
            Unprivileged.chmod(dir.resolve("authorized_keys"), "rw-r--r--");
            Files.createDirectories(Path.of("/run/sshd"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            SshServer server = new SshServer(dir, addresses, PostgresServer.freePort(addresses.get(0)));
            try {
                server.launch();
                return server;
            } catch (IllegalStateException e) {
                server.stop();
                last = e;
            }
        }
        Unprivileged.deleteTree(dir);
        throw last;
    }

    private static void keygen(Path key) {
        Unprivileged.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pgstaging-test", "-f", key.toString()),
                null, 30);
    }

    private void launch() {
        StringBuilder config = new StringBuilder();
        for (String a : addresses) config.append("ListenAddress ").append(a).append(':').append(port).append('\n');
        config.append("HostKey ").append(dir.resolve("host_ed25519")).append('\n')
                .append("AuthorizedKeysFile ").append(dir.resolve("authorized_keys")).append('\n')
                .append("StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n")
                .append("PermitRootLogin no\nMaxSessions 64\nMaxStartups 64\nLogLevel VERBOSE\n")
                .append("PidFile ").append(dir.resolve("sshd.pid")).append('\n')
                .append("Subsystem sftp internal-sftp\n");
        try {
            Files.writeString(dir.resolve("sshd_config"), config.toString(), StandardCharsets.UTF_8);
            StringBuilder known = new StringBuilder();
            String hostKey = Files.readString(dir.resolve("host_ed25519.pub")).strip().split(" ")[0] + " "
                    + Files.readString(dir.resolve("host_ed25519.pub")).strip().split(" ")[1];
            for (String a : addresses) known.append('[').append(a).append("]:").append(port).append(' ').append(hostKey).append('\n');
            Files.writeString(knownHosts(), known.toString(), StandardCharsets.UTF_8);
            Files.deleteIfExists(log());
            process = new ProcessBuilder(BINARY.toString(), "-D", "-f", dir.resolve("sshd_config").toString(),
                    "-E", log().toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("sshd exited: " + logTail());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(addresses.get(0), port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        throw new IllegalStateException("sshd did not listen on port " + port + ": " + logTail());
    }

    public int port() { return port; }

    /** The private key authorized for every login user. */
    public Path clientKey() { return dir.resolve("client_ed25519"); }

    /** A private key no user authorizes. */
    public Path otherKey() { return dir.resolve("other_ed25519"); }

    /** The host key of every address, as {@code [address]:port KEY} lines. */
    public Path knownHosts() { return dir.resolve("known_hosts"); }

    public Path hostPublicKey() { return dir.resolve("host_ed25519.pub"); }

    public Path log() { return dir.resolve("sshd.log"); }

    public Path dir() { return dir; }

    /** How many SSH connections logged in so far (one "Accepted publickey" line each). */
    public int acceptedLogins() {
        try {
            return (int) Files.readAllLines(log(), StandardCharsets.UTF_8).stream().filter(l -> l.contains("Accepted publickey")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    public String logTail() {
        try {
            List<String> lines = new ArrayList<>(Files.exists(log()) ? Files.readAllLines(log()) : List.of());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        // the per-connection sshd processes outlive the listener; they end with their sessions
        Unprivileged.deleteTree(dir);
    }
}
