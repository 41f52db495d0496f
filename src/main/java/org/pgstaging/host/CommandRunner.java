package org.pgstaging.host;

/** Runs client programs (pg_restore, psql, pg_dump) on the machine pgstaging runs on. */
public interface CommandRunner {
    /**
     * Runs a command to completion. Output lines go to the command's sinks as they come.
     * Interrupting the calling thread destroys the process (and its children) and throws
     * {@link HostException}; a non-zero exit is not an exception: check {@link CommandResult#exitCode()}.
     */
    CommandResult run(Command command);
}
