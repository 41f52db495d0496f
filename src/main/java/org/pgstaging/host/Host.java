package org.pgstaging.host;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The machine where a section's pgbouncer runs, as pgstaging manages it: the console machine
 * itself ({@link LocalHost}) or a database server driven over SSH through pgstaging-client
 * ({@link SshHost}). Only what pgbouncer's management needs crosses here (its configuration file
 * and its service), so a remote server grants pgstaging exactly that and nothing more.
 */
public interface Host {
    /** Name for messages, e.g. {@code localhost} or {@code pgstaging@db1.example.com:22}. */
    String name();

    /** Whole content of a small text file (configuration files, not dumps), byte for byte. */
    String readFile(Path file);

    /**
     * Read-only check that {@link #withLockedFile} may replace {@code file}: it can be read and the
     * directory where its replacement is written and renamed is writable. Throws {@link HostException} saying so otherwise.
     */
    void checkReplaceable(Path file);

    /**
     * Runs {@code work} holding an exclusive lock on {@code file} against every other pgstaging, in
     * this process (another thread, another section on the same file) or another one (the bot and a
     * console, on this machine or another). {@code work} reads and replaces the file through the
     * {@link LockedFile} it is given, so a read-edit-write-check sequence is never interleaved with
     * another one. Blocks until the lock is free; an interrupt gives up waiting.
     */
    <T> T withLockedFile(Path file, Function<LockedFile, T> work);

    /**
     * {@code systemctl VERB} on the pgbouncer service of that machine (start, stop, restart, reload,
     * status), its output lines given to {@code output}. A non-zero exit is returned, not thrown:
     * for status it is the answer (0 running, 3 stopped).
     */
    CommandResult service(String verb, Consumer<String> output);

    /** The command {@link #service} runs, for dry runs and messages. */
    List<String> serviceCommand(String verb);
}
