package org.pgstaging.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A command to run on a {@link Host}: argv (never a shell string, so nothing needs quoting),
 * extra environment, an optional file for standard input, and line sinks for its output.
 * Secrets go in {@code env} (e.g. PGPASSWORD), never in argv, so they are not logged.
 */
public record Command(List<String> argv, Map<String, String> env, Path stdin,
                      Consumer<String> stdout, Consumer<String> stderr) {

    public static Command of(List<String> argv) {
        return new Command(List.copyOf(argv), Map.of(), null, line -> { }, line -> { });
    }

    public Command withEnv(Map<String, String> extra) {
        return new Command(argv, extra, stdin, stdout, stderr);
    }

    public Command withStdin(Path file) {
        return new Command(argv, env, file, stdout, stderr);
    }

    public Command withOutput(Consumer<String> out, Consumer<String> err) {
        return new Command(argv, env, stdin, out, err);
    }

    /** argv joined for display; secrets are never in argv. */
    public String display() {
        return String.join(" ", argv.stream().map(Command::quoteForDisplay).toList());
    }

    private static String quoteForDisplay(String arg) {
        return arg.matches("[A-Za-z0-9_./:=@%+,-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
