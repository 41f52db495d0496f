package org.pgstaging.backup;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import org.pgstaging.PgStagingException;

/**
 * A date as users type it: {@code YYYY-MM-DD}, {@code YYYYMMDD}, {@code today}, {@code latest}
 * or {@code oldest}. Parsed (and so validated) before anything happens; {@code latest} and
 * {@code oldest} are resolved against what exists (backups or dated databases).
 */
public final class DateSpec {
    public enum Kind { EXACT, TODAY, LATEST, OLDEST }

    private static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern COMPACT = Pattern.compile("\\d{8}");
    public static final DateTimeFormatter COMPACT_FORMAT = DateTimeFormatter.ofPattern("uuuuMMdd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter ISO_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    private final Kind kind;
    private final LocalDate date;

    private DateSpec(Kind kind, LocalDate date) {
        this.kind = kind;
        this.date = date;
    }

    public static DateSpec latest() { return new DateSpec(Kind.LATEST, null); }
    public static DateSpec oldest() { return new DateSpec(Kind.OLDEST, null); }
    public static DateSpec today() { return new DateSpec(Kind.TODAY, null); }
    public static DateSpec of(LocalDate date) { return new DateSpec(Kind.EXACT, date); }

    /** Parses user input; throws with the accepted forms when it is none of them. */
    public static DateSpec parse(String text) {
        String t = text == null ? "" : text.trim();
        switch (t) {
            case "today": return today();
            case "latest": return latest();
            case "oldest": return oldest();
            default:
        }
        try {
            if (ISO.matcher(t).matches()) return of(LocalDate.parse(t, ISO_FORMAT));
            if (COMPACT.matcher(t).matches()) return of(LocalDate.parse(t, COMPACT_FORMAT));
        } catch (DateTimeException e) {
            throw invalid(t, "no such day in the calendar");
        }
        throw invalid(t, "not a date");
    }

    private static PgStagingException invalid(String t, String why) {
        return new PgStagingException("invalid date '" + t + "': " + why,
                "use YYYY-MM-DD, YYYYMMDD, today, latest or oldest");
    }

    public Kind kind() { return kind; }

    /** The date when it does not depend on what exists (EXACT or TODAY). */
    public Optional<LocalDate> fixedDate(LocalDate today) {
        return switch (kind) {
            case EXACT -> Optional.of(date);
            case TODAY -> Optional.of(today);
            default -> Optional.empty();
        };
    }

    /** Resolves against available dates: the newest or oldest for LATEST/OLDEST, the fixed date otherwise. */
    public Optional<LocalDate> resolve(Collection<LocalDate> available, LocalDate today) {
        return switch (kind) {
            case LATEST -> available.stream().max(Comparator.naturalOrder());
            case OLDEST -> available.stream().min(Comparator.naturalOrder());
            default -> fixedDate(today);
        };
    }

    public static String compact(LocalDate d) { return d.format(COMPACT_FORMAT); }

    /** Same kind and, for an exact date, same day: {@code 20261124} and {@code 2026-11-24} are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DateSpec d && d.kind == kind && java.util.Objects.equals(d.date, date);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, date);
    }

    @Override
    public String toString() {
        return kind == Kind.EXACT ? date.toString() : kind.name().toLowerCase();
    }
}
