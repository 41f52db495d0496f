package org.pgstaging.host;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OpenSSH client, as pgstaging uses it to reach one database server. OpenSSH rather than a Java
 * SSH library because it is what administrators already configure and trust: {@code ~/.ssh/config}
 * (Host aliases, ProxyJump, per-host keys), agents, known_hosts and every key type work as they do
 * for a person typing ssh, and it is the way Ansible drives servers.
 *
 * <p>Host keys are always checked ({@code StrictHostKeyChecking=yes}: an unknown or changed key
 * fails, it is never accepted), nothing ever prompts ({@code BatchMode=yes}), and one connection
 * per server is shared by every command of a process (a ControlMaster kept 60 s after its last
 * use), so {@code dbsizes --all} over twenty sections on three servers opens three connections.
 */
public final class OpenSsh {
    /** How long an idle master connection stays up. */
    static final int PERSIST_SECONDS = 60;
    /** The master is assumed up this long after its last use; past that, {@code ssh -O check} asks. */
    private static final long TRUST_MASTER_NANOS = TimeUnit.SECONDS.toNanos(PERSIST_SECONDS - 15);
    private static final long MASTER_START_SECONDS = 60;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<OpenSsh> STARTED = ConcurrentHashMap.newKeySet();
    private static Path controlDir;

    private final SshTarget target;
    private final String program;
    private final Path controlPath;
    private long masterTrustedUntil;

    public OpenSsh(SshTarget target) {
        this(target, "ssh");
    }

    OpenSsh(SshTarget target, String program) {
        this.target = target;
        this.program = program;
        this.controlPath = controlDir().resolve(Integer.toString(COUNTER.incrementAndGet()));
    }

    public SshTarget target() {
        return target;
    }

    /**
     * Makes sure the shared connection is up, opening it when needed: the place where an
     * unreachable server, a refused key or an unknown host key shows, before anything is done.
     */
    public synchronized void connect() {
        long now = System.nanoTime();
        if (now < masterTrustedUntil) return;
        if (masterAlive()) {
            masterTrustedUntil = now + TRUST_MASTER_NANOS;
            return;
        }
        List<String> argv = new ArrayList<>(List.of(program));
        argv.addAll(options());
        argv.addAll(List.of("-o", "ControlMaster=yes", "-o", "ControlPersist=" + PERSIST_SECONDS, "-N", "-f",
                "--", target.destination()));
        Path log = null;
        try {
            log = Files.createTempFile(controlDir(), "connect-", ".log");
            // -f: ssh goes to the background once authenticated, so its exit says whether that worked;
            // its output goes to a file, as the background master keeps it open
            Process p = new ProcessBuilder(argv).redirectInput(new File("/dev/null"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(MASTER_START_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new HostException("Connecting to " + target.display() + " over SSH did not finish within "
                        + MASTER_START_SECONDS + " s", "check that " + target.destination()
                        + " is reachable and try by hand: " + target.handTest(), null);
            }
            if (p.exitValue() != 0) {
                throw SshErrors.explain(target, p.exitValue(), Files.readAllLines(log, StandardCharsets.UTF_8));
            }
            STARTED.add(this);
            masterTrustedUntil = System.nanoTime() + TRUST_MASTER_NANOS;
        } catch (IOException e) {
            throw new HostException("Cannot run ssh to reach " + target.display() + ": " + e.getMessage(),
                    "install the OpenSSH client (apt install openssh-client)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("Interrupted while connecting to " + target.display(), "nothing was done", e);
        } finally {
            if (log != null) log.toFile().delete();
        }
    }

    /** After a command over the connection: the master stays up {@link #PERSIST_SECONDS} from now. */
    synchronized void used() {
        masterTrustedUntil = System.nanoTime() + TRUST_MASTER_NANOS;
    }

    /** The ssh command running {@code remoteArgv} on the server over the shared connection. */
    public List<String> command(List<String> remoteArgv) {
        List<String> argv = new ArrayList<>(List.of(program));
        argv.addAll(options());
        // no master (it timed out meanwhile, or was killed): ssh connects on its own, same checks
        argv.addAll(List.of("-o", "ControlMaster=no", "--", target.destination(), remoteCommand(remoteArgv)));
        return argv;
    }

    /** argv as one string for the remote shell, every word single-quoted as needed. */
    static String remoteCommand(List<String> argv) {
        List<String> quoted = new ArrayList<>();
        for (String a : argv) {
            quoted.add(a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }

    private List<String> options() {
        List<String> o = new ArrayList<>();
        target.config().ifPresent(c -> o.addAll(List.of("-F", c.toString())));
        o.addAll(List.of("-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10",
                "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3", "-o", "LogLevel=ERROR",
                "-o", "ControlPath=" + controlPath));
        target.user().ifPresent(u -> o.addAll(List.of("-l", u)));
        target.port().ifPresent(p -> o.addAll(List.of("-p", Integer.toString(p))));
        target.identity().ifPresent(i -> o.addAll(List.of("-i", i.toString(), "-o", "IdentitiesOnly=yes")));
        target.knownHosts().ifPresent(k -> o.addAll(List.of("-o", "UserKnownHostsFile=" + k)));
        return o;
    }

    private boolean masterAlive() {
        if (!Files.exists(controlPath)) return false;
        return control("check") == 0;
    }

    /** {@code ssh -O CMD}: asks the master (check, exit). */
    private int control(String cmd) {
        List<String> argv = new ArrayList<>(List.of(program));
        argv.addAll(options());
        argv.addAll(List.of("-O", cmd, "--", target.destination()));
        try {
            Process p = new ProcessBuilder(argv).redirectInput(new File("/dev/null"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Closes the shared connection now instead of when it times out. */
    public synchronized void close() {
        if (STARTED.remove(this) && Files.exists(controlPath)) {
            control("exit");
        }
        masterTrustedUntil = 0;
    }

    /** One private directory per process for the control sockets (short path: sockets allow 108 bytes). */
    private static synchronized Path controlDir() {
        if (controlDir == null) {
            try {
                Path base = Path.of("/tmp");
                if (!Files.isDirectory(base)) base = Path.of(System.getProperty("java.io.tmpdir"));
                controlDir = Files.createTempDirectory(base, "pgstaging-ssh-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new HostException("Cannot create a directory for SSH control sockets in /tmp: " + e.getMessage(),
                        "pgstaging needs a writable /tmp (or java.io.tmpdir) for its SSH connections", e);
            }
            Path dir = controlDir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (OpenSsh ssh : List.copyOf(STARTED)) ssh.close();
                try (var files = Files.list(dir)) {
                    files.forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // best effort: the masters exit by themselves after PERSIST_SECONDS
                }
                dir.toFile().delete();
            }, "pgstaging-ssh-close"));
        }
        return controlDir;
    }
}
