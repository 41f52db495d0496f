package org.pgstaging.host;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A command to run on a {@link Host}: argv (never a shell string, so nothing needs quoting),
 * extra environment, an optional standard input (a file, or a stream the host pumps in), and line
 * sinks for its output. Secrets go in {@code env} (e.g. PGPASSWORD), never in argv, so they are not logged.
 *
 * @param stdinStream opened by the host when the process has started, copied into the process's
 *                    standard input through a fixed buffer, then closed; see {@link Host#run}
 */
public record Command(List<String> argv, Map<String, String> env, Path stdin, Supplier<InputStream> stdinStream,
                      Consumer<String> stdout, Consumer<String> stderr) {

    public Command {
        if (stdin != null && stdinStream != null) {
            throw new IllegalArgumentException("a command reads its standard input from a file or a stream, not both");
        }
    }

    public static Command of(List<String> argv) {
        return new Command(List.copyOf(argv), Map.of(), null, null, line -> { }, line -> { });
    }

    public Command withEnv(Map<String, String> extra) {
        return new Command(argv, extra, stdin, stdinStream, stdout, stderr);
    }

    public Command withStdin(Path file) {
        return new Command(argv, env, file, null, stdout, stderr);
    }

    /**
     * Standard input from a stream, e.g. a download: memory stays bounded whatever its size. The
     * stream is closed when the process stops reading (end of input, exit, broken pipe), so its
     * {@code close()} can decide what happens to the bytes the process did not want.
     */
    public Command withStdinStream(Supplier<InputStream> source) {
        return new Command(argv, env, null, source, stdout, stderr);
    }

    public Command withOutput(Consumer<String> out, Consumer<String> err) {
        return new Command(argv, env, stdin, stdinStream, out, err);
    }

    /** argv joined for display; secrets are never in argv. */
    public String display() {
        return String.join(" ", argv.stream().map(Command::quoteForDisplay).toList());
    }

    private static String quoteForDisplay(String arg) {
        return arg.matches("[A-Za-z0-9_./:=@%+,-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
