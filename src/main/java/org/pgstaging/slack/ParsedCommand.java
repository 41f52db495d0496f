package org.pgstaging.slack;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;

/**
 * The text after the slash command, checked against {@link CommandSpec}: known word, argument count,
 * a valid date where one is expected. Sections are checked later against the configuration.
 */
public record ParsedCommand(CommandSpec spec, List<String> args) {

    /** Throws with the usage and the nearest valid command when the text is not a command. */
    public static ParsedCommand parse(String text, String slash) {
        String[] words = text == null ? new String[0] : text.trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            return new ParsedCommand(CommandSpec.find("help").orElseThrow(), List.of());
        }
        String word = words[0].toLowerCase(Locale.ROOT);
        CommandSpec spec = CommandSpec.find(word).orElseThrow(() -> unknown(word, slash));
        List<String> args = Arrays.asList(words).subList(1, words.length);
        if (args.size() < spec.minArgs() || args.size() > spec.maxArgs()) {
            throw new PgStagingException("'" + word + "' takes " + describe(spec) + ", got " + args.size(),
                    "usage: " + spec.usage(slash));
        }
        ParsedCommand parsed = new ParsedCommand(spec, List.copyOf(args));
        parsed.date(); // validates the date before anything else happens
        if (word.equals("history") && !args.isEmpty() && !args.get(0).matches("\\d{1,3}")) {
            throw new PgStagingException("'" + args.get(0) + "' is not a number of jobs", "usage: " + spec.usage(slash));
        }
        return parsed;
    }

    private static PgStagingException unknown(String word, String slash) {
        String hint = Nearest.of(word, CommandSpec.ALL.stream().map(CommandSpec::name).toList())
                .map(n -> "did you mean `" + CommandSpec.find(n).orElseThrow().usage(slash) + "`? ")
                .orElse("") + "`" + slash + " help` lists the commands";
        return new PgStagingException("unknown command '" + word + "'", hint);
    }

    private static String describe(CommandSpec spec) {
        if (spec.minArgs() == spec.maxArgs()) return spec.minArgs() == 0 ? "no argument" : spec.minArgs() + " argument(s)";
        return spec.minArgs() + " to " + spec.maxArgs() + " arguments";
    }

    public String name() {
        return spec.name();
    }

    /** The section the command names (its first argument), null for those that name none. */
    public String section() {
        return spec.takesSection() && !args.isEmpty() ? args.get(0) : null;
    }

    /** The DATE argument; when absent {@code today} for restore/fetch (as the engine does), {@code latest} for catalog, else null. */
    public DateSpec date() {
        String raw = switch (spec.name()) {
            case "restore", "fetch", "vacuumdb", "switch", "drop", "dbsize", "catalog" -> args.size() > 1 ? args.get(1) : null;
            case "show" -> args.size() > 2 ? args.get(2) : null;
            default -> null;
        };
        if (raw != null) return DateSpec.parse(raw);
        return switch (spec.name()) {
            case "restore", "fetch" -> DateSpec.today();
            case "catalog" -> DateSpec.latest();
            default -> null;
        };
    }
}
