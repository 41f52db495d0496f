package org.pgstaging.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jline.builtins.Completers.FileNameCompleter;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.pgstaging.job.Verb;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion for the console, derived from the picocli model: command names, option names,
 * section names where a SECTION goes, oldest/latest/today where a DATE goes, fixed keyword sets
 * (completionCandidates), and file names where a FILE goes.
 */
final class ConsoleCompleter implements Completer {
    static final List<String> DATE_WORDS = List.of("latest", "oldest", "today");

    /** What belongs at a word position. */
    enum Kind { COMMAND, OPTION, SECTION, DATE, FILE, CONFIG_OPTION, FIXED, NONE }

    private final CommandLine root;
    private final Supplier<List<String>> sections;
    private final Supplier<Set<String>> configOptions;
    private final Completer files = new FileNameCompleter();

    ConsoleCompleter(CommandLine root, Supplier<List<String>> sections, Supplier<Set<String>> configOptions) {
        this.root = root;
        this.sections = sections;
        this.configOptions = configOptions;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        if (kind(words, index) == Kind.FILE) {
            files.complete(reader, line, candidates);
            return;
        }
        for (String c : candidates(words, index)) candidates.add(new Candidate(c));
    }

    /** Words that may go at position {@code index} of {@code words} (the word being typed included). */
    List<String> candidates(List<String> words, int index) {
        Kind kind = kind(words, index);
        return switch (kind) {
            case COMMAND -> new ArrayList<>(new TreeSet<>(root.getSubcommands().keySet()));
            case OPTION -> options(words.get(0));
            case SECTION -> sections.get();
            case DATE -> DATE_WORDS;
            case CONFIG_OPTION -> new ArrayList<>(configOptions.get());
            case FIXED -> fixed(words, index);
            case FILE, NONE -> List.of();
        };
    }

    Kind kind(List<String> words, int index) {
        if (index <= 0) return Kind.COMMAND;
        CommandLine sub = root.getSubcommands().get(words.get(0));
        if (sub == null) return Kind.NONE;
        String current = index < words.size() ? words.get(index) : "";
        if (current.startsWith("-")) return Kind.OPTION;
        Verb verb = CommandRegistry.verbOf(sub.getCommandSpec());
        if (verb != null) {
            Verb.Param p = paramAt(verb, position(sub.getCommandSpec(), words, index));
            if (p == null) return Kind.NONE;
            if (!p.choices().isEmpty()) return Kind.FIXED;
            return switch (p.kind()) {
                case SECTION -> Kind.SECTION;
                case DATE -> Kind.DATE;
                case DUMP -> Kind.FILE;   // a date is typed in full; a dump file's path is worth completing
                case TEXT -> p.label().endsWith("FILE") ? Kind.FILE : Kind.NONE;
                default -> Kind.NONE;
            };
        }
        Slot slot = slot(sub.getCommandSpec(), words, index);
        if (slot == null) return Kind.NONE;
        if (slot.param.completionCandidates() != null) return Kind.FIXED;
        return kindOf(slot.label);
    }

    private static Kind kindOf(String label) {
        String l = label.replace("[", "").replace("]", "").replace("...", "");
        if (l.equals("SECTION")) return Kind.SECTION;
        if (l.equals("DATE")) return Kind.DATE;
        if (l.endsWith("FILE")) return Kind.FILE;
        if (l.equals("COMMAND")) return Kind.COMMAND;
        if (l.equals("OPTION")) return Kind.CONFIG_OPTION;
        return Kind.NONE;
    }

    /**
     * The argument of {@code verb} at {@code position} (0 is the first), as a person fills them in
     * order: an optional argument counts as given, since the typist is about to give it.
     */
    private static Verb.Param paramAt(Verb verb, int position) {
        List<Verb.Param> params = verb.params();
        if (params.isEmpty()) return null;
        if (position < params.size()) return params.get(position);
        Verb.Param last = params.get(params.size() - 1);
        return last.rest() ? last : null;
    }

    private List<String> fixed(List<String> words, int index) {
        CommandSpec spec = root.getSubcommands().get(words.get(0)).getCommandSpec();
        Verb verb = CommandRegistry.verbOf(spec);
        if (verb != null) return paramAt(verb, position(spec, words, index)).choices();
        Slot slot = slot(spec, words, index);
        List<String> out = new ArrayList<>();
        slot.param.completionCandidates().forEach(out::add);
        return out;
    }

    private List<String> options(String command) {
        Set<String> names = new TreeSet<>();
        for (OptionSpec o : root.getSubcommands().get(command).getCommandSpec().options()) {
            if (!o.hidden()) names.addAll(List.of(o.names()));
        }
        return new ArrayList<>(names);
    }

    /** The positional parameter at {@code index}, and which word of its label ("[DATE] SETTING") applies. */
    private record Slot(PositionalParamSpec param, String label) { }

    /** How many arguments (not options or their values) come before word {@code index}. */
    private static int position(CommandSpec spec, List<String> words, int index) {
        int position = 0;
        for (int i = 1; i < index && i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("-")) {
                OptionSpec o = spec.findOption(w);
                if (o != null && o.arity().max() > 0) i++;  // skip the option's value
                continue;
            }
            position++;
        }
        return position;
    }

    private static Slot slot(CommandSpec spec, List<String> words, int index) {
        int position = position(spec, words, index);
        for (PositionalParamSpec p : spec.positionalParameters()) {
            CommandLine.Range r = p.index();
            if (position < r.min() || position > r.max()) continue;
            String[] labels = p.paramLabel().split(" ");
            return new Slot(p, labels[Math.min(position - r.min(), labels.length - 1)]);
        }
        return null;
    }

    /** Section names, or none when the configuration does not load (completion must never fail). */
    static List<String> quietly(Supplier<List<String>> supplier) {
        try {
            return supplier.get();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    static Set<String> optionNames(Session session) {
        Set<String> names = new TreeSet<>(SessionCommands.KNOWN_OPTIONS);
        try {
            session.config().sections().forEach(s -> names.addAll(s.values().keySet()));
        } catch (RuntimeException e) {
            // no configuration: the known options are enough
        }
        return names;
    }
}
