package org.pgstaging.host;

import java.nio.file.Path;

/**
 * A machine pgstaging acts on: the console machine itself ({@link LocalHost}) or, later, a database
 * server driven over SSH. Everything that touches a server's files or processes goes through here,
 * so the engine does not care where it runs.
 */
public interface Host {
    /** Name for messages, e.g. {@code localhost} or {@code db1.example.com}. */
    String name();

    /**
     * Runs a command to completion. Output lines go to the command's sinks as they come.
     * Interrupting the calling thread destroys the process (and its children) and throws
     * {@link HostException}; a non-zero exit is not an exception: check {@link CommandResult#exitCode()}.
     */
    CommandResult run(Command command);

    /** Whole content of a small text file (configuration files, not dumps). */
    String readFile(Path file);

    /**
     * Replaces a file atomically: writes a temporary file in the same directory, keeps the previous
     * file's owner and mode, saves the previous content as {@code file + ".bak"}, then renames over it.
     */
    void replaceFile(Path file, String content);

    /**
     * Read-only check that {@link #replaceFile} may work: the directory of {@code file} (where the
     * temporary file is written and renamed) is writable. Throws {@link HostException} saying so otherwise.
     */
    void checkReplaceable(Path file);

    /**
     * Runs {@code work} holding an exclusive lock on {@code file} against every other pgstaging, in
     * this process (another thread, another section on the same file) or another one (the bot and a
     * console). The lock is a separate file next to {@code file}, so the file itself can be replaced
     * while it is held. Blocks until the lock is free; an interrupt gives up waiting.
     */
    <T> T withFileLock(Path file, java.util.function.Supplier<T> work);
}
