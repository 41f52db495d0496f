package org.pgstaging.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.pgstaging.Version;

/**
 * A database server driven over SSH. Nothing runs there but pgstaging-client, whose fixed
 * sub-commands validate every argument; the ones that need root (pgbouncer.ini, the pgbouncer
 * service) go through {@code sudo -n} when {@code use_sudo} is set, so the server's sudoers rule
 * allows exactly that program and nothing else.
 *
 * <p>Before its first use, the connection is opened and the client's version compared with this
 * console's: an unreachable server, a refused key, an unknown host key, sudo asking for a password,
 * a missing client or another version all fail here, before anything changes.
 */
public final class SshHost implements Host {
    private static final int MAX_OUTPUT_BYTES = ClientProtocol.MAX_FRAME_BYTES;

    private final OpenSsh ssh;
    private final String client;
    private final boolean useSudo;
    private boolean verified;

    /**
     * @param client  pgstaging-client's path on the server (the path the sudoers rule names)
     * @param useSudo run the sub-commands that need root through {@code sudo -n}
     */
    public SshHost(OpenSsh ssh, String client, boolean useSudo) {
        this.ssh = ssh;
        this.client = client;
        this.useSudo = useSudo;
    }

    public SshTarget target() {
        return ssh.target();
    }

    @Override
    public String name() {
        return ssh.target().display();
    }

    /**
     * Opens the connection and checks that the client answers, through sudo when configured, with
     * this console's version. Done once per process; every operation starts with it.
     */
    public synchronized void verify() {
        if (verified) return;
        ssh.connect();
        String version = Version.current();
        String answer;
        try (ClientSession s = start(List.of(ClientProtocol.VERSION), useSudo, "checking pgstaging-client")) {
            s.stdin().close();
            answer = new String(s.stdout().readNBytes(4096), StandardCharsets.UTF_8).strip();
            int exit = s.waitFor();
            if (exit == ClientProtocol.EXIT_VERSION || (exit == 0 && !answer.equals(ClientProtocol.versionLine(version)))) {
                throw versionMismatch(answer, version);
            }
            if (exit != 0) throw explain(exit, s.stderrTail(), "checking pgstaging-client");
        } catch (IOException e) {
            throw new HostException("The SSH connection to " + name() + " failed while checking pgstaging-client: "
                    + e.getMessage(), "retry; if it persists, try by hand: " + ssh.target().handTest(), e);
        }
        verified = true;
    }

    private HostException versionMismatch(String answer, String mine) {
        String theirs = answer.startsWith(ClientProtocol.PROGRAM + " ")
                ? answer.substring(ClientProtocol.PROGRAM.length() + 1).lines().findFirst().orElse("?").strip() : "unknown";
        int cmp = VersionOrder.compare(theirs, mine);
        String upgrade = cmp < 0
                ? "upgrade the pgstaging package on " + ssh.target().destination() + " to " + mine
                + " (dpkg -i pgstaging_" + mine + "_all.deb there)"
                : cmp > 0 ? "upgrade pgstaging on this machine to " + theirs + ", or install " + mine + " on "
                + ssh.target().destination()
                : "install the same build on both";
        return new HostException("pgstaging-client on " + name() + " is version " + theirs + ", this pgstaging is "
                + mine + ": they only work together at the same version", upgrade, null);
    }

    @Override
    public String readFile(Path file) {
        byte[] bytes = call(List.of(ClientProtocol.READ, ClientProtocol.CONF, file.toString()), useSudo, "reading " + file);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new HostException("File " + file + " on " + name() + " is not valid UTF-8",
                    "convert it to UTF-8 (e.g. iconv) or check the path", e);
        }
    }

    @Override
    public void checkReplaceable(Path file) {
        call(List.of(ClientProtocol.CHECK, ClientProtocol.CONF, file.toString()), useSudo, "checking " + file);
    }

    @Override
    public CommandResult service(String verb, Consumer<String> output) {
        long started = System.nanoTime();
        byte[] out = call(List.of(ClientProtocol.SERVICE, verb), useSudo, "running systemctl " + verb);
        List<String> lines = new ArrayList<>(new String(out, StandardCharsets.UTF_8).lines().toList());
        int exit = -1;
        if (!lines.isEmpty() && lines.get(lines.size() - 1).startsWith(ClientProtocol.EXIT_STATUS)) {
            exit = Integer.parseInt(lines.remove(lines.size() - 1).substring(ClientProtocol.EXIT_STATUS.length()).strip());
        }
        lines.forEach(output);
        return new CommandResult(exit, lines.subList(Math.max(0, lines.size() - 50), lines.size()),
                java.time.Duration.ofNanos(System.nanoTime() - started));
    }

    @Override
    public List<String> serviceCommand(String verb) {
        List<String> argv = new ArrayList<>(List.of("ssh", ssh.target().display()));
        argv.addAll(clientArgv(List.of(ClientProtocol.SERVICE, verb), useSudo));
        return argv;
    }

    @Override
    public <T> T withLockedFile(Path file, Function<LockedFile, T> work) {
        String doing = "editing " + file;
        try (ClientSession s = open(List.of(ClientProtocol.EDIT, ClientProtocol.CONF, file.toString()), useSudo, doing)) {
            OutputStream to = s.stdin();
            InputStream from = s.stdout();
            ClientProtocol.Frame locked = readFrame(s, from);
            expect(s, locked, ClientProtocol.FRAME_LOCKED);
            T result = work.apply(new LockedFile() {
                @Override
                public String read() {
                    return exchange(s, to, from, ClientProtocol.FRAME_READ, new byte[0], ClientProtocol.FRAME_CONTENT).text();
                }

                @Override
                public void replace(String content) {
                    exchange(s, to, from, ClientProtocol.FRAME_REPLACE, content.getBytes(StandardCharsets.UTF_8),
                            ClientProtocol.FRAME_REPLACED);
                }
            });
            try {
                ClientProtocol.writeFrame(to, ClientProtocol.FRAME_DONE, new byte[0]);
                to.close();
                s.waitFor(10);
            } catch (IOException | InterruptedException e) {
                // the change is complete; the client releases the lock when the session ends either way
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            }
            return result;
        }
    }

    private ClientProtocol.Frame exchange(ClientSession s, OutputStream to, InputStream from, String word, byte[] payload,
                                          String expected) {
        try {
            ClientProtocol.writeFrame(to, word, payload);
        } catch (IOException e) {
            throw s.failure();
        }
        ClientProtocol.Frame answer = readFrame(s, from);
        expect(s, answer, expected);
        return answer;
    }

    private ClientProtocol.Frame readFrame(ClientSession s, InputStream from) {
        try {
            ClientProtocol.Frame f = ClientProtocol.readFrame(from);
            if (f == null) throw s.failure();
            return f;
        } catch (IOException e) {
            throw s.failure();
        }
    }

    private void expect(ClientSession s, ClientProtocol.Frame f, String word) {
        if (f.word().equals(ClientProtocol.FRAME_ERROR)) {
            String[] parts = f.text().split("\n", 2);
            throw new HostException(parts[0] + " (pgstaging-client on " + name() + ")",
                    parts.length > 1 && !parts[1].isBlank() ? parts[1] : null, null);
        }
        if (!f.word().equals(word)) {
            throw new HostException("pgstaging-client on " + name() + " answered '" + f.word() + "' where '" + word
                    + "' was expected", "check that both sides run the same pgstaging version", null);
        }
    }

    /** Runs a short sub-command to completion and returns its standard output (bounded). */
    private byte[] call(List<String> args, boolean sudo, String doing) {
        try (ClientSession s = open(args, sudo, doing)) {
            s.stdin().close();
            byte[] out = s.stdout().readNBytes(MAX_OUTPUT_BYTES + 1);
            int exit = s.waitFor();
            if (exit != 0) throw explain(exit, s.stderrTail(), doing);
            if (out.length > MAX_OUTPUT_BYTES) {
                throw new HostException("pgstaging-client on " + name() + " answered more than " + MAX_OUTPUT_BYTES
                        + " bytes while " + doing, "check the path: pgstaging only reads small text files", null);
            }
            return out;
        } catch (IOException e) {
            throw new HostException("The SSH connection to " + name() + " failed while " + doing + ": " + e.getMessage(),
                    "check the network to " + ssh.target().destination() + " and retry", e);
        }
    }

    /**
     * Starts a sub-command of the client (after {@link #verify()}) for a caller that speaks its
     * protocol itself, e.g. a restore on the server. {@code sudo}: through {@code sudo -n} when
     * use_sudo is set; the sub-commands that need no root pass false.
     */
    public ClientSession open(List<String> args, boolean sudo, String doing) {
        verify();
        // the shared connection times out when idle (a bot's quiet hours): open it again rather
        // than let every command make a connection of its own
        ssh.connect();
        return start(args, sudo && useSudo, doing);
    }

    private ClientSession start(List<String> args, boolean sudo, String doing) {
        List<String> argv = ssh.command(clientArgv(args, sudo));
        try {
            Process p = new ProcessBuilder(argv).start();
            return new ClientSession(this, p, doing);
        } catch (IOException e) {
            throw new HostException("Cannot run ssh to reach " + name() + ": " + e.getMessage(),
                    "install the OpenSSH client (apt install openssh-client)", e);
        }
    }

    private List<String> clientArgv(List<String> args, boolean sudo) {
        List<String> argv = new ArrayList<>();
        if (sudo) argv.addAll(List.of("sudo", "-n"));
        argv.add(client);
        argv.add(args.get(0));
        argv.add(ClientProtocol.CONSOLE_VERSION);
        argv.add(Version.current());
        argv.addAll(args.subList(1, args.size()));
        return argv;
    }

    void sessionEnded() {
        ssh.used();
    }

    /** What a failed remote run means: ssh's own failure, sudo's refusal, a missing client, or the client's error. */
    HostException explain(int exit, List<String> stderr, String doing) {
        String all = String.join("\n", stderr);
        String user = ssh.target().user().orElse("the login user");
        String host = ssh.target().destination();
        String rule = user + " ALL=(root) NOPASSWD: " + client;
        if (all.contains("sudo: a password is required") || all.contains("sudo: a terminal is required")) {
            return new HostException("sudo on " + name() + " asks " + user + " for a password to run " + client,
                    "allow it without one, and nothing else, with the sudoers rule '" + rule
                            + "' (the pgstaging package installs it as /etc/sudoers.d/pgstaging for " + ClientProtocol.DEFAULT_PATH
                            + "); check that client_path is where pgstaging-client is; or set use_sudo = False", null);
        }
        if (all.contains("is not allowed to execute") || all.contains("is not in the sudoers file")
                || all.contains("may not run sudo")) {
            return new HostException("sudo on " + name() + " refuses to run " + client + " as root for " + user,
                    "add the sudoers rule '" + rule + "' there (the pgstaging package installs it as /etc/sudoers.d/pgstaging)", null);
        }
        if (all.matches("(?s).*\\bsudo: (command )?not found.*")) {
            return new HostException("sudo is not installed on " + name() + " (use_sudo = True)",
                    "install it there (apt install sudo), or set use_sudo = False if " + user
                            + " may write pgbouncer.ini's directory itself", null);
        }
        if (exit == 127 || (all.contains(client) && (all.contains("not found") || all.contains("No such file")))) {
            return new HostException("pgstaging-client is not installed on " + name() + " (no " + client + ")",
                    "install the pgstaging package there (dpkg -i pgstaging_" + Version.current()
                            + "_all.deb), or set client_path to where it is", null);
        }
        String message = null;
        String hint = null;
        for (String line : stderr) {
            if (line.startsWith(ClientProtocol.PROGRAM + ": error: ")) {
                message = line.substring(ClientProtocol.PROGRAM.length() + 9);
            } else if (line.startsWith("hint: ") && message != null) {
                hint = line.substring(6);
            }
        }
        if (message != null) {
            return new HostException(message + " (pgstaging-client on " + name() + ")", hint, null);
        }
        if (exit == 255) {
            return SshErrors.explain(ssh.target(), exit, stderr);
        }
        return new HostException("pgstaging-client on " + name() + " failed while " + doing + " (exit " + exit + ")"
                + (stderr.isEmpty() ? "" : ": " + stderr.get(stderr.size() - 1)),
                "see the lines above, or run it by hand there: " + client + " --help", null);
    }
}
