package org.pgstaging.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.StagingOperations;
import org.pgstaging.job.Verb;
import org.pgstaging.job.VerbCall;
import org.pgstaging.job.VerbUsageException;
import org.pgstaging.restore.RestoreListener;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Common ground of all commands: the session, and validation of sections, dates and files
 * that runs before the engine is called, so bad input never causes a half-done operation.
 */
abstract class BaseCommand implements Callable<Integer> {
    Session session;

    @Spec
    CommandSpec spec;

    /** This run's arguments, placed and checked by the verb list (null for commands that are no verb). */
    private VerbCall arguments;

    // a plain inherited field rather than a mixin: cheaper, and there are forty commands to build
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this command's usage.")
    boolean help;

    @Override
    public final Integer call() {
        arguments = parseArguments();
        run();
        return ExitCodes.OK;
    }

    /**
     * The words picocli collected for the verb's arguments (see {@link CommandRegistry#addVerbArguments}),
     * placed and checked by {@link Verb#call}: the same parse the bot uses.
     */
    private VerbCall parseArguments() {
        Verb verb = CommandRegistry.verbOf(spec);
        if (verb == null) return null;
        List<String> words = new ArrayList<>();
        for (PositionalParamSpec p : spec.positionalParameters()) {
            Object value = p.getValue();
            if (value instanceof List<?> list) list.forEach(w -> words.add(String.valueOf(w)));
        }
        try {
            return verb.call(words, Verb.Face.CONSOLE, "");
        } catch (VerbUsageException e) {
            throw new UsageException(e.getMessage(), e.hint());
        }
    }

    /** The arguments of this run; only for commands that are a verb. */
    protected VerbCall arguments() {
        if (arguments == null) throw new IllegalStateException(spec.name() + " is not a verb of job.Verb");
        return arguments;
    }

    /** The SECTION argument, checked against the configuration. */
    protected String section() {
        return section(arguments().section());
    }

    /** The DATE argument, null when omitted (the operation's default applies). */
    protected DateSpec date() {
        return arguments().date();
    }

    protected abstract void run();

    protected Output out() { return session.output(); }

    protected StagingOperations ops() { return session.ops(); }

    protected RestoreListener listener() { return session.progress(); }

    /** Parses DATE (null when omitted: the operation's default applies). */
    protected static DateSpec date(String text) {
        if (text == null) return null;
        try {
            return DateSpec.parse(text);
        } catch (PgStagingException e) {
            throw new UsageException(e.getMessage(), e.hint());
        }
    }

    /** Checks SECTION against the configuration; suggests the nearest names when unknown. */
    protected String section(String name) {
        List<String> names = session.sectionNames();
        if (names.contains(name)) return name;
        String near = Suggestions.didYouMean(name, names);
        String list = names.isEmpty() ? "the configuration has no section"
                : names.size() <= 8 ? "sections: " + String.join(", ", names)
                : "'pgstaging databases' lists the " + names.size() + " sections";
        throw new UsageException("unknown section '" + name + "' in " + session.configPath(),
                near == null ? list : near + " (" + list + ")");
    }

    protected static Path existingFile(String text, String what) {
        if (text == null) return null;
        Path p = Path.of(text);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new UsageException(what + " '" + text + "' is not a readable file",
                    "check the path (relative paths start from " + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    /**
     * A dump to read the catalog of, as restore takes them: a custom or tar file, or a directory
     * dump (the directory or its toc.dat).
     */
    protected static Path existingDump(String text) {
        if (text == null) return null;
        Path p = Path.of(text);
        if (Files.isDirectory(p)) {
            if (Files.isRegularFile(p.resolve("toc.dat")) && Files.isReadable(p.resolve("toc.dat"))) return p;
            throw new UsageException("dump directory '" + text + "' has no readable toc.dat",
                    "give a directory made by pg_dump -Fd, or a dump file (pg_dump -Fc or -Ft)");
        }
        return existingFile(text, "dump file");
    }

    /** Rejects a word that must be one of a few keywords. */
    protected static String oneOf(String value, String what, String... allowed) {
        if (value == null) return null;
        for (String a : allowed) if (a.equals(value)) return value;
        String near = Suggestions.didYouMean(value, List.of(allowed));
        throw new UsageException("invalid " + what + " '" + value + "'",
                (near == null ? "" : near + " ") + "use one of: " + String.join(", ", allowed));
    }
}
