package org.pgstaging.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The machine pgstaging runs on: where client programs run, and the database server's machine
 * when a section's {@code host} is this one (pgstaging-client on a server uses it too).
 */
public final class LocalHost implements Host, CommandRunner {
    /** How many stderr lines a {@link CommandResult} keeps (see {@link ProcessRunner}). */
    static final int STDERR_TAIL_LINES = ProcessRunner.STDERR_TAIL_LINES;
    /** The one buffer between a {@link Command#stdinStream()} and the process (see {@link ProcessRunner}). */
    static final int STDIN_BUFFER_BYTES = ProcessRunner.STDIN_BUFFER_BYTES;
    private static final ProcessRunner PROCESSES = new ProcessRunner();
    /** The systemd unit {@link #service} manages. */
    private static final String PGBOUNCER_UNIT = "pgbouncer";

    private final boolean useSudo;

    /** A local host whose service commands run without sudo. */
    public LocalHost() {
        this(false);
    }

    /** @param useSudo run service commands as {@code sudo -n systemctl ...} (fail rather than ask for a password) */
    public LocalHost(boolean useSudo) {
        this.useSudo = useSudo;
    }

    @Override
    public String name() {
        return "localhost";
    }

    @Override
    public CommandResult run(Command command) {
        return PROCESSES.run(command);
    }

    @Override
    public String readFile(Path file) {
        return TextFiles.readFile(file);
    }

    @Override
    public void checkReplaceable(Path file) {
        TextFiles.checkReplaceable(file);
    }

    /**
     * Runs {@code work} holding an exclusive lock on {@code file} against every other pgstaging, in
     * this process or another one (see {@link FileLocks}). Blocks until the lock is free; an
     * interrupt gives up waiting.
     */
    public <T> T withFileLock(Path file, Supplier<T> work) {
        return FileLocks.withFileLock(file, work);
    }

    @Override
    public <T> T withLockedFile(Path file, Function<LockedFile, T> work) {
        return withFileLock(file, () -> work.apply(new LockedFile() {
            @Override
            public String read() {
                return readFile(file);
            }

            @Override
            public void replace(String content) {
                replaceFile(file, content);
            }
        }));
    }

    @Override
    public CommandResult service(String verb, Consumer<String> output) {
        return run(Command.of(serviceCommand(verb)).withOutput(output, output));
    }

    @Override
    public List<String> serviceCommand(String verb) {
        List<String> argv = new ArrayList<>();
        if (useSudo) {
            argv.addAll(List.of("sudo", "-n"));
        }
        argv.addAll(List.of("systemctl", verb, PGBOUNCER_UNIT));
        return List.copyOf(argv);
    }

    /**
     * Replaces a file atomically: writes a temporary file in the same directory, keeps the previous
     * file's owner and mode, saves the previous content as {@code file + ".bak"}, then renames over it.
     */
    public void replaceFile(Path file, String content) {
        TextFiles.replaceFile(file, content);
    }
}
