package org.pgstaging.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pgstaging.DidYouMean;
import org.pgstaging.PgStagingException;
import org.pgstaging.backup.DateSpec;
import org.pgstaging.job.Verb.Param;

/**
 * A verb with its arguments placed and checked, made once by {@link Verb#parse} or {@link Verb#call}
 * and read by whichever face runs it. Sections are only checked to be there: whether the
 * configuration has them is the engine's to say (with the nearest names).
 *
 * @param values each argument given, by label ({@code SECTION}, {@code DATE}...); the words of a
 *               {@code ...} argument are in {@code rest}
 */
public record VerbCall(Verb verb, Map<String, String> values, List<String> rest) {
    private static final String SETTING_NAME = "[A-Za-z_][A-Za-z0-9_.]*";

    public VerbCall {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        rest = List.copyOf(rest);
    }

    static VerbCall of(Verb verb, List<String> args, Verb.Face face, String prefix) {
        List<Param> params = verb.params();
        int required = (int) params.stream().filter(p -> !p.optional()).count();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        int extra = Math.max(0, args.size() - required);
        int next = 0;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (p.rest()) {
                rest.addAll(args.subList(Math.min(next, args.size()), args.size()));
                if (rest.isEmpty() && !p.optional()) throw missing(verb, prefix, p);
                rest.forEach(w -> check(verb, p, w, face, prefix));
                next = args.size();
                break;
            }
            if (p.optional()) {
                if (extra == 0 || next >= args.size()) continue;
                String w = args.get(next);
                if (!p.fits(w) && laterOptionalFits(params, i, w)) continue;
                extra--;
            }
            if (next >= args.size()) throw missing(verb, prefix, p);
            String w = args.get(next++);
            check(verb, p, w, face, prefix);
            values.put(p.label(), p.choices().isEmpty() ? w : w.toLowerCase(Locale.ROOT));
        }
        if (next < args.size()) {
            List<String> unexpected = args.subList(next, args.size());
            throw usage(verb, prefix, verb.word() + ": unexpected argument" + (unexpected.size() > 1 ? "s " : " ")
                    + String.join(" ", unexpected.stream().map(w -> "'" + w + "'").toList()));
        }
        return new VerbCall(verb, values, rest);
    }

    private static VerbUsageException missing(Verb verb, String prefix, Param p) {
        return usage(verb, prefix, verb.word() + ": missing " + p.label());
    }

    private static boolean laterOptionalFits(List<Param> params, int from, String word) {
        for (int j = from + 1; j < params.size(); j++) {
            Param q = params.get(j);
            if (q.optional() && !q.rest() && q.fits(word)) return true;
        }
        return false;
    }

    private static void check(Verb verb, Param p, String word, Verb.Face face, String prefix) {
        if (word.isBlank()) throw usage(verb, prefix, p.label() + " is empty");
        if (!p.choices().isEmpty()) {
            if (!p.choices().contains(word.toLowerCase(Locale.ROOT))) {
                List<String> near = DidYouMean.nearest(word.toLowerCase(Locale.ROOT), p.choices());
                throw new VerbUsageException("invalid " + p.noun() + " '" + word + "'",
                        (near.isEmpty() ? "" : "did you mean '" + near.get(0) + "'? ") + "use one of: "
                                + String.join(", ", p.choices()) + "; usage: " + verb.usage(prefix));
            }
            return;
        }
        switch (p.kind()) {
            case DATE -> date(verb, word, prefix);
            case COUNT -> {
                if (!word.matches("\\d{1,9}") || Integer.parseInt(word) < 1 || Integer.parseInt(word) > Verb.MAX_COUNT) {
                    throw usage(verb, prefix, "'" + word + "' is not a number from 1 to " + Verb.MAX_COUNT);
                }
            }
            case SETTING -> {
                if (!word.matches(SETTING_NAME)) {
                    throw new VerbUsageException("invalid setting name '" + word + "'",
                            "a PostgreSQL setting name, e.g. search_path or work_mem; usage: " + verb.usage(prefix));
                }
            }
            case DUMP -> {
                if (!Param.isDate(word) && face == Verb.Face.CHAT) {
                    throw usage(verb, prefix, "'" + word + "' is not a date: in chat, name the backup by its date");
                }
            }
            default -> { }
        }
    }

    private static DateSpec date(Verb verb, String word, String prefix) {
        try {
            return DateSpec.parse(word);
        } catch (PgStagingException e) {
            throw new VerbUsageException(e.getMessage(), (e.hint() == null ? "" : e.hint() + "; ") + "usage: " + verb.usage(prefix));
        }
    }

    private static VerbUsageException usage(Verb verb, String prefix, String message) {
        return new VerbUsageException(message, "usage: " + verb.usage(prefix));
    }

    /** The SECTION given, null when the verb takes none or it was omitted. */
    public String section() {
        return values.get("SECTION");
    }

    /** Every SECTION given: the one, or all the words of {@code SECTION...}. */
    public List<String> sections() {
        if (!rest.isEmpty()) return rest;
        return section() == null ? List.of() : List.of(section());
    }

    /** The DATE given (or a DUMP given as a date); null when omitted. */
    public DateSpec date() {
        String d = values.get("DATE");
        if (d == null && values.containsKey("DUMP") && Param.isDate(values.get("DUMP"))) d = values.get("DUMP");
        return d == null ? null : DateSpec.parse(d);
    }

    /** The DATE given, else what the verb does without one; null means the copy the alias points to. */
    public DateSpec dateOrDefault() {
        DateSpec d = date();
        return d != null ? d : verb.defaultDate().orElse(null);
    }

    /** A dump file named instead of a date (DUMP, DUMPFILE), or the FILE given; null when none. */
    public String file() {
        String dump = values.get("DUMP");
        if (dump != null && !Param.isDate(dump)) return dump;
        return values.getOrDefault("DUMPFILE", values.get("FILE"));
    }

    /** The N given, null when omitted. */
    public Integer count() {
        String n = values.get("N");
        return n == null ? null : Integer.valueOf(n);
    }

    /** Any argument by its label ({@code SETTING}, {@code WHICH}, {@code SERVICE}); null when omitted. */
    public String value(String label) {
        return values.get(label);
    }
}
