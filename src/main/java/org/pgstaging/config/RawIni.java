package org.pgstaging.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ini file as written: sections in file order, options with their raw (not interpolated)
 * values and the line each was defined on. Kept by {@link StagingConfig} so that an override
 * can be re-validated against the original text. Immutable once read; {@link #with} copies.
 */
final class RawIni {
    static final String DEFAULT = "DEFAULT";
    static final String SLACK = "slack";

    record Option(String name, String value, int line) {}

    record Sect(String name, int line, Map<String, Option> options) {
        Sect {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }
    }

    private final Sect defaults;
    private final List<Sect> sections;
    private final List<ConfigWarning> warnings;

    RawIni(Sect defaults, List<Sect> sections, List<ConfigWarning> warnings) {
        this.defaults = defaults;
        this.sections = List.copyOf(sections);
        this.warnings = List.copyOf(warnings);
    }

    /** The {@code [DEFAULT]} section; an empty one at line 0 when the file has none. */
    Sect defaults() { return defaults; }

    /** Every other section, {@code [slack]} included, in file order. */
    List<Sect> sections() { return sections; }

    /** Warnings found while reading (duplicates, probable inline comments). */
    List<ConfigWarning> warnings() { return warnings; }

    Sect find(String name) {
        if (name.equals(DEFAULT)) return defaults;
        for (Sect s : sections) if (s.name().equals(name)) return s;
        return null;
    }

    /** A copy where {@code [section] option} is {@code value}, marked as not coming from a line (0). */
    RawIni with(String section, String option, String value) {
        if (section.equals(DEFAULT)) {
            return new RawIni(put(defaults, option, value), sections, warnings);
        }
        List<Sect> copy = new ArrayList<>();
        for (Sect s : sections) copy.add(s.name().equals(section) ? put(s, option, value) : s);
        return new RawIni(defaults, copy, warnings);
    }

    /** A copy with an empty section {@code name} appended (line 0). */
    RawIni withSection(String name) {
        List<Sect> copy = new ArrayList<>(sections);
        copy.add(new Sect(name, 0, Map.of()));
        return new RawIni(defaults, copy, warnings);
    }

    private static Sect put(Sect s, String option, String value) {
        Map<String, Option> options = new LinkedHashMap<>(s.options());
        options.put(option, new Option(option, value, 0));
        return new Sect(s.name(), s.line(), options);
    }
}
