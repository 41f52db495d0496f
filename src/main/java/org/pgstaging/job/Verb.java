package org.pgstaging.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.pgstaging.DidYouMean;
import org.pgstaging.backup.DateSpec;

/**
 * Every verb pgstaging offers and its arguments: the one list the console, stdin scripts and the
 * Slack bot parse with ({@link #call}), so a verb takes the same arguments, defaults and checks
 * whoever types it. Options ({@code --json}, {@code --no-wait}...) belong to a face; arguments here.
 * A syntax reads {@code SECTION [DATE]}: brackets for optional, {@code ...} for the rest of the
 * words, {@code =a|b} for the only values allowed.
 */
public enum Verb {
    RESTORE("restore", "SECTION [DATE]", Effect.QUEUED, Faces.BOTH, DateSpec.today(),
            "restore a backup into a new dated copy, then point the alias at it"),
    LOAD("load", "SECTION FILE", Effect.CHANGE, Faces.CONSOLE, null, "restore an already downloaded dump file"),
    FETCH("fetch", "SECTION [DATE]", Effect.QUEUED, Faces.BOTH, DateSpec.today(), "download a backup onto the staging host"),
    CREATEDB("createdb", "SECTION [DATE]", Effect.CHANGE, Faces.CONSOLE, DateSpec.today(),
            "create an empty dated copy and add it to pgbouncer"),
    DROP("drop", "SECTION [DATE]", Effect.CHANGE, Faces.BOTH, DateSpec.oldest(), "drop a dated copy (never the active one)"),
    SWITCH("switch", "SECTION [DATE]", Effect.CHANGE, Faces.BOTH, DateSpec.latest(), "point the alias at another dated copy"),
    PURGE("purge", "SECTION", Effect.CHANGE, Faces.BOTH, null, "drop old copies beyond keep_bases"),
    VACUUMDB("vacuumdb", "SECTION [DATE]", Effect.QUEUED, Faces.BOTH, null, "vacuum analyze a dated copy (default: the active one)"),
    PRESQL("presql", "SECTION [DATE]", Effect.CHANGE, Faces.CONSOLE, null, "run the pre SQL scripts on a copy"),
    POSTSQL("postsql", "SECTION [DATE]", Effect.CHANGE, Faces.CONSOLE, null, "run the post SQL scripts on a copy"),
    INIT("init", "SECTION", Effect.CHANGE, Faces.CONSOLE, null, "load the cluster globals (roles) from dumpall_url"),
    DUMP("dump", "SECTION [FILE]", Effect.CHANGE, Faces.CONSOLE, null, "pg_dump the active copy to a file"),
    REDUMP("redump", "SECTION [FILE]", Effect.CHANGE, Faces.CONSOLE, null, "pg_dump the active copy, overwriting the file"),

    DATABASES("databases", "[SECTION]", Effect.READ, Faces.BOTH, null, "the sections, or a section's dated copies"),
    BACKUPS("backups", "SECTION [WHICH=remote|local|oldest|latest]", Effect.READ, Faces.BOTH, null,
            "backups available for a section"),
    DBSIZE("dbsize", "SECTION [DATE]", Effect.READ, Faces.BOTH, null, "size of one dated copy (default: the active one)"),
    DBSIZES("dbsizes", "[SECTION...]", Effect.READ, Faces.BOTH, null, "sizes of the dated copies (all sections by default)"),
    SHOW("show", "SECTION [DATE] SETTING", Effect.READ, Faces.BOTH, null, "SHOW a PostgreSQL setting on a copy"),
    HISTORY("history", "[SECTION] [N]", Effect.READ, Faces.BOTH, null,
            "the last N changes, whoever made them: the bot, consoles, scripts"),
    QUEUE("queue", "[SECTION...]", Effect.READ, Faces.BOTH, null,
            "what runs and waits on each database server: the bot's jobs, consoles, scripts"),

    PGBOUNCER("pgbouncer", "SECTION [WHICH=oldest|latest]", Effect.READ, Faces.BOTH, null, "pgbouncer's databases for a section"),
    PAUSE("pause", "SECTION [DATE]", Effect.CHANGE, Faces.CONSOLE, null, "PAUSE a database in pgbouncer"),
    RESUME("resume", "SECTION [DATE]", Effect.CHANGE, Faces.CONSOLE, null, "RESUME a database in pgbouncer"),
    START("start", "SERVICE=pgbouncer SECTION", Effect.CHANGE, Faces.CONSOLE, null, "start the pgbouncer service"),
    STOP("stop", "SERVICE=pgbouncer SECTION", Effect.CHANGE, Faces.CONSOLE, null, "stop the pgbouncer service"),
    RESTART("restart", "SERVICE=pgbouncer SECTION", Effect.CHANGE, Faces.CONSOLE, null, "restart the pgbouncer service"),
    STATUS("status", "SERVICE=pgbouncer SECTION", Effect.READ, Faces.CONSOLE, null, "status of the pgbouncer service"),

    CATALOG("catalog", "SECTION [DUMP]", Effect.READ, Faces.BOTH, DateSpec.latest(),
            "what the catalog filter keeps of a backup (DUMP: a date, or a dump file on the console)"),
    TRIGGERS("triggers", "SECTION [DUMPFILE]", Effect.READ, Faces.CONSOLE, null, "triggers of a dump and the functions they call"),
    NODATA("nodata", "SECTION [DUMPFILE]", Effect.READ, Faces.CONSOLE, null, "tables restored without their data");

    /** What a verb does to a server: the bot asks for an approval or a confirmation accordingly. */
    public enum Effect {
        /** Reads only. */
        READ,
        /** Changes a server at once (the bot asks for a confirmation first). */
        CHANGE,
        /** Long work: in the bot a job that waits for approval and its server's turn. */
        QUEUED
    }

    /** Which faces offer a verb: local files and service control stay on the console. */
    public enum Faces {
        BOTH, CONSOLE;

        boolean offers(Face face) {
            return this == BOTH || face == Face.CONSOLE;
        }
    }

    /** Who parses. */
    public enum Face { CONSOLE, CHAT }

    /** Largest N for {@code history}. */
    public static final int MAX_COUNT = 1000;

    private final String word;
    private final String syntax;
    private final List<Param> params;
    private final Effect effect;
    private final Faces faces;
    private final DateSpec defaultDate;
    private final String summary;

    Verb(String word, String syntax, Effect effect, Faces faces, DateSpec defaultDate, String summary) {
        this.word = word;
        this.params = Param.list(syntax);
        this.syntax = String.join(" ", params.stream().map(Param::display).toList());
        this.effect = effect;
        this.faces = faces;
        this.defaultDate = defaultDate;
        this.summary = summary;
    }

    public String word() { return word; }

    /** {@code SECTION [DATE]}, as usage lines show it. */
    public String syntax() { return syntax; }

    public List<Param> params() { return params; }

    public Effect effect() { return effect; }

    public String summary() { return summary; }

    public boolean offeredTo(Face face) { return faces.offers(face); }

    /** The DATE an omitted one means (today, latest, oldest); empty: the copy the alias points to. */
    public Optional<DateSpec> defaultDate() { return Optional.ofNullable(defaultDate); }

    /** {@code /pgstaging restore SECTION [DATE]}. */
    public String usage(String prefix) {
        return (prefix == null || prefix.isEmpty() ? "" : prefix + " ") + word + (syntax.isEmpty() ? "" : " " + syntax);
    }

    /** The verbs a face offers, in this order. */
    public static List<Verb> offeredBy(Face face) {
        return Arrays.stream(values()).filter(v -> v.offeredTo(face)).toList();
    }

    /**
     * The verb {@code word} names for a face. An unknown word is refused with the nearest verbs; a
     * verb of the other face says where it is offered.
     */
    public static Verb named(String word, Face face, String prefix) {
        String w = word == null ? "" : word.toLowerCase(Locale.ROOT);
        for (Verb v : values()) {
            if (!v.word.equals(w)) continue;
            if (v.offeredTo(face)) return v;
            throw new VerbUsageException("'" + w + "' is not offered in chat", "run it on the console: pgstaging " + v.usage(""));
        }
        List<String> near = DidYouMean.nearest(w, offeredBy(face).stream().map(Verb::word).toList());
        String hint = (near.isEmpty() ? "" : "did you mean " + near.stream()
                .map(n -> quote(face, named(n, face, prefix).usage(prefix))).reduce((a, b) -> a + " or " + b).orElseThrow() + "? ")
                + quote(face, (prefix == null || prefix.isEmpty() ? "" : prefix + " ") + "help") + " lists the commands";
        throw new VerbUsageException("unknown command '" + w + "'", hint);
    }

    /** A command as each face shows one: code in chat, quoted on the console. */
    static String quote(Face face, String command) {
        return face == Face.CHAT ? "`" + command + "`" : "'" + command + "'";
    }

    /**
     * Parses a whole command line as words: the verb, then its arguments. Refuses what is not a
     * verb of {@code face}, a wrong number of arguments, a bad date or count, a value not allowed.
     */
    public static VerbCall parse(List<String> words, Face face, String prefix) {
        if (words.isEmpty()) throw new VerbUsageException("no command given", quote(face, prefix + " help") + " lists the commands");
        Verb verb = named(words.get(0), face, prefix);
        return verb.call(words.subList(1, words.size()), face, prefix);
    }

    /** This verb with {@code args}, checked: see {@link #parse}. */
    public VerbCall call(List<String> args, Face face, String prefix) {
        return VerbCall.of(this, args, face, prefix);
    }

    /**
     * One argument of a verb. {@code choices}, when not empty, are the only values allowed.
     *
     * @param rest takes every remaining word ({@code SECTION...})
     */
    public record Param(String label, Kind kind, boolean optional, boolean rest, List<String> choices) {
        /** What a value must look like. */
        public enum Kind { SECTION, DATE, COUNT, DUMP, SETTING, TEXT }

        /** How messages name a value of this argument: {@code selection} for WHICH, else the label in lower case. */
        public String noun() {
            return label.equals("WHICH") ? "selection" : label.toLowerCase(Locale.ROOT);
        }

        String display() {
            String s = label + (rest ? "..." : "");
            return optional ? "[" + s + "]" : s;
        }

        /** Whether {@code word} has this argument's shape, to place optional arguments by what they look like. */
        boolean fits(String word) {
            if (!choices.isEmpty()) return choices.contains(word.toLowerCase(Locale.ROOT));
            return switch (kind) {
                case DATE -> isDate(word);
                case COUNT -> word.matches("\\d+");
                case SECTION -> !word.matches("\\d+");
                default -> true;
            };
        }

        static boolean isDate(String word) {
            try {
                DateSpec.parse(word);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        static List<Param> list(String syntax) {
            List<Param> out = new ArrayList<>();
            for (String token : syntax.trim().split("\\s+")) {
                if (token.isEmpty()) continue;
                boolean optional = token.startsWith("[");
                String t = optional ? token.substring(1, token.length() - 1) : token;
                boolean rest = t.endsWith("...");
                if (rest) t = t.substring(0, t.length() - 3);
                List<String> choices = List.of();
                int eq = t.indexOf('=');
                if (eq > 0) {
                    choices = List.of(t.substring(eq + 1).split("\\|"));
                    t = t.substring(0, eq);
                }
                Kind kind = switch (t) {
                    case "SECTION" -> Kind.SECTION;
                    case "DATE" -> Kind.DATE;
                    case "N" -> Kind.COUNT;
                    case "DUMP" -> Kind.DUMP;
                    case "SETTING" -> Kind.SETTING;
                    default -> Kind.TEXT;
                };
                out.add(new Param(t, kind, optional, rest, choices));
            }
            return List.copyOf(out);
        }
    }
}
