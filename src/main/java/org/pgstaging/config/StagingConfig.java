package org.pgstaging.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded, validated pgstaging.ini: its staging sections in file order, the [DEFAULT] values,
 * the [slack] options and the warnings found. Immutable; {@link #withOverride} makes a changed copy.
 */
public final class StagingConfig {
    private final Path file;
    private final RawIni raw;
    private final Map<String, String> defaults;
    private final List<Section> sections;
    private final Map<String, Section> byName = new LinkedHashMap<>();
    private final List<ConfigWarning> warnings;
    private final Map<String, String> slack;

    StagingConfig(Path file, RawIni raw, Map<String, String> defaults, List<Section> sections,
                  List<ConfigWarning> warnings, Map<String, String> slack) {
        this.file = file;
        this.raw = raw;
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        this.sections = List.copyOf(sections);
        for (Section s : sections) byName.put(s.name(), s);
        this.warnings = List.copyOf(warnings);
        this.slack = Collections.unmodifiableMap(new LinkedHashMap<>(slack));
    }

    /** The file this configuration was read from. */
    public Path file() { return file; }

    /**
     * [DEFAULT] options, interpolated within [DEFAULT] where they can be; a value referring to an
     * option that only sections define stays raw here (each section resolves it).
     */
    public Map<String, String> defaults() { return defaults; }

    /** Staging sections, in file order ([DEFAULT] and [slack] are not among them). */
    public List<Section> sections() { return sections; }

    /** Names of the staging sections, in file order. */
    public List<String> sectionNames() { return List.copyOf(byName.keySet()); }

    /** The staging section {@code name} (exact, case-sensitive as in Python's ConfigParser). */
    public Section section(String name) {
        Section s = byName.get(name);
        if (s == null) throw unknownSection(name);
        return s;
    }

    public boolean hasSection(String name) { return byName.containsKey(name); }

    /** Non-fatal problems (unknown options, duplicates...), in file order. */
    public List<ConfigWarning> warnings() { return warnings; }

    /** Raw options of the [slack] section (no [DEFAULT] values, no interpolation); empty when absent. */
    public Map<String, String> slack() { return slack; }

    /** Where the bot keeps its queue and everyone the history: [slack] state_dir, else this default. */
    public static final String DEFAULT_STATE_DIR = "~/.local/state/pgstaging";

    /** [slack] state_dir ({@code ~/} expanded), else {@link #DEFAULT_STATE_DIR}. */
    public Path stateDir() {
        return stateDir(slack);
    }

    /** state_dir of a [slack] section's options ({@code ~/} expanded), else {@link #DEFAULT_STATE_DIR}. */
    public static Path stateDir(Map<String, String> slack) {
        String v = slack.getOrDefault("state_dir", "").strip();
        String dir = v.isEmpty() ? DEFAULT_STATE_DIR : v;
        return dir.equals("~") || dir.startsWith("~/") ? Path.of(System.getProperty("user.home") + dir.substring(1)) : Path.of(dir);
    }

    /** [slack] state_url (checked when loaded): the state on PostgreSQL instead of under state_dir. */
    public Optional<StateUrl> stateUrl() {
        return stateUrl(slack);
    }

    /** state_url of a [slack] section's options, when set. */
    public static Optional<StateUrl> stateUrl(Map<String, String> slack) {
        String v = slack.getOrDefault(StateUrl.OPTION, "").strip();
        return v.isEmpty() ? Optional.empty() : Optional.of(StateUrl.parse(v));
    }

    /**
     * A copy with {@code [section] option = value}, validated as if written in the file. {@code section}
     * is a staging section, {@code DEFAULT} (then every section that does not set the option itself
     * takes the new value, as in the file) or {@code slack}. The value is interpolated ({@code %%} for
     * a literal %). Unlike in the file, an unknown option is an error here: a typo at the console
     * must not pass silently.
     *
     * @throws ConfigException unknown section or option, or the value (or what it breaks) is invalid
     */
    public StagingConfig withOverride(String section, String option, String value) {
        String name = option == null ? "" : option.strip().toLowerCase(Locale.ROOT);
        String target = canonicalSection(section);
        boolean slackSection = target.equals(RawIni.SLACK);
        boolean known = slackSection ? KnownOptions.slackOptions().contains(name) : KnownOptions.acceptedInStaging(name);
        if (!known) {
            List<String> candidates = slackSection ? KnownOptions.slackOptions() : KnownOptions.stagingOptions();
            String mean = Suggestions.didYouMean(name, candidates);
            throw new ConfigException("unknown option '" + name + "'", file, target, name, 0,
                    mean.isEmpty() ? "known options: " + String.join(", ", candidates) : mean);
        }
        String v = value == null ? "" : value.strip();
        if (v.contains("\n")) {
            throw new ConfigException("a value set here must be one line", file, target, name, 0, "remove the line breaks");
        }
        RawIni changed = slackSection && raw.find(RawIni.SLACK) == null
                ? raw.withSection(RawIni.SLACK).with(RawIni.SLACK, name, v)
                : raw.with(target, name, v);
        return ConfigAssembler.assemble(file, changed, List.of());
    }

    private String canonicalSection(String section) {
        if (section == null) throw unknownSection("");
        if (section.equalsIgnoreCase(RawIni.DEFAULT)) return RawIni.DEFAULT;
        if (section.equalsIgnoreCase(RawIni.SLACK)) return RawIni.SLACK;
        if (!byName.containsKey(section)) throw unknownSection(section);
        return section;
    }

    private ConfigException unknownSection(String name) {
        Set<String> near = new LinkedHashSet<>(Suggestions.nearest(name, byName.keySet()));
        for (Section s : sections) {
            if (s.dbname().equals(name) || s.name().startsWith(name + ".")) near.add(s.name());
        }
        List<String> all = new ArrayList<>(byName.keySet());
        String hint = near.isEmpty()
                ? "known sections: " + String.join(", ", all)
                : "did you mean " + String.join(" or ", near) + "? known sections: " + String.join(", ", all);
        return new ConfigException("unknown section [" + name + "]", file, name, null, 0, hint);
    }

    @Override
    public String toString() {
        return "StagingConfig[" + file + ": " + String.join(", ", byName.keySet()) + "]";
    }
}
