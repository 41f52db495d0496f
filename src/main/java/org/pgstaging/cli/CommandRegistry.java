package org.pgstaging.cli;

import java.util.ArrayList;
import java.util.List;
import org.pgstaging.job.Verb;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command set, grouped as pg_staging(1) groups it. The same set serves the command line,
 * the console and scripts; a new command (e.g. the Slack bot's {@code bot}) is added here.
 */
final class CommandRegistry {
    record Group(String title, List<Class<?>> commands) { }

    static final List<Group> GROUPS = List.of(
            new Group("Main operation", OperationCommands.ALL),
            new Group("Listings", concat(ListingCommands.ALL, List.of(HistoryCommand.class, QueueCommand.class))),
            new Group("pgbouncer", PgbouncerCommands.ALL),
            new Group("Catalog", CatalogCommands.ALL),
            new Group("Session and help", concat(SessionCommands.ALL, HelpCommands.ALL)),
            new Group("Chat-ops", List.of(BotCommand.class)));

    /** Every command class, in group order. */
    private static final List<Class<?>> ALL = GROUPS.stream().flatMap(g -> g.commands().stream()).toList();

    private CommandRegistry() {}

    /**
     * For one command given on the command line: registers only the command {@code args} names, or
     * every command when it names none or asks for help (which lists them all). picocli builds each
     * command's model by reflection, and building all of them was a third of a one-shot command's
     * start-up; the console and scripts register everything once.
     */
    static void registerFor(CommandLine root, IFactory factory, String[] args) {
        Class<?> only = commandNamed(commandWord(root.getCommandSpec(), args));
        if (only == null || only == HelpCommands.Help.class) {
            register(root, factory);
        } else {
            root.addSubcommand(commandLine(factory, only));
        }
    }

    /** The first argument that is neither a global option nor its value; null when there is none. */
    static String commandWord(CommandSpec spec, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return i + 1 < args.length ? args[i + 1] : null;
            if (a.length() < 2 || a.charAt(0) != '-') return a;
            int eq = a.indexOf('=');
            OptionSpec o = spec.findOption(eq < 0 ? a : a.substring(0, eq));
            if (o != null && eq < 0 && o.arity().max() > 0) i++;
        }
        return null;
    }

    /** The command class named {@code word} (by name or alias), or null. */
    static Class<?> commandNamed(String word) {
        if (word == null) return null;
        for (Class<?> c : ALL) {
            CommandLine.Command a = c.getAnnotation(CommandLine.Command.class);
            if (a.name().equals(word) || List.of(a.aliases()).contains(word)) return c;
        }
        return null;
    }

    /** Adds every command under {@code root}, instances made by {@code factory} (which injects the session). */
    static void register(CommandLine root, IFactory factory) {
        for (Class<?> c : ALL) root.addSubcommand(commandLine(factory, c));
    }

    private static CommandLine commandLine(IFactory factory, Class<?> c) {
        CommandLine cl = new CommandLine(create(factory, c), factory);
        addVerbArguments(cl.getCommandSpec());
        return cl;
    }

    /** The verb of job.Verb a command runs, or null for the console's own commands (help, get, set...). */
    static Verb verbOf(CommandSpec spec) {
        for (Verb v : Verb.offeredBy(Verb.Face.CONSOLE)) {
            if (v.word().equals(spec.name())) return v;
        }
        return null;
    }

    /**
     * Declares a verb's arguments to picocli from the one verb list: a single positional taking every
     * word, labelled with the verb's syntax. picocli only collects the words (and the options between
     * them); {@link Verb#call} places and checks them, as it does for the bot.
     */
    static void addVerbArguments(CommandSpec spec) {
        Verb verb = verbOf(spec);
        if (verb == null || verb.params().isEmpty()) return;
        if (!spec.positionalParameters().isEmpty()) {
            throw new IllegalStateException(spec.name() + " declares its own parameters; job.Verb declares them");
        }
        spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").paramLabel(verb.syntax())
                .hideParamSyntax(true).type(List.class).auxiliaryTypes(String.class)
                .description(ParamHelp.of(verb)).build());
    }

    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Class<?> c : ALL) {
            CommandLine.Command a = c.getAnnotation(CommandLine.Command.class);
            names.add(a.name());
            names.addAll(List.of(a.aliases()));
        }
        return names;
    }

    /** {@code restore SECTION [DATE]}: name, options and positionals, optional ones in brackets. */
    static String synopsis(CommandSpec spec) {
        StringBuilder sb = new StringBuilder(spec.name());
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp() || o.hidden() || o.inherited()) continue;
            sb.append(" [").append(o.longestName());
            if (o.arity().max() > 0) sb.append(' ').append(o.paramLabel());
            sb.append(']');
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) continue;
            String label = p.paramLabel();
            if (p.hideParamSyntax()) {   // a verb's syntax, shown as the verb list writes it
                sb.append(' ').append(label);
                continue;
            }
            boolean many = p.arity().max() > 1 && !label.contains(" ");
            String shown = label + (many ? "..." : "");
            sb.append(' ').append(p.arity().min() == 0 ? "[" + shown + "]" : shown);
        }
        return sb.toString();
    }

    private static Object create(IFactory factory, Class<?> c) {
        try {
            return factory.create(c);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create command " + c.getName(), e);
        }
    }

    private static List<Class<?>> concat(List<Class<?>> a, List<Class<?>> b) {
        List<Class<?>> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
