package org.pgstaging.config;

import java.util.ArrayList;
import java.util.List;

/**
 * TEMPORARY PLACEHOLDER from the cli branch so the command line compiles; the config helper's
 * real {@code StagingConfig} replaces this file at merge. The cli only calls {@link #sections()},
 * {@link #warnings()} and {@link #withOverride(String, String, String)}.
 */
public final class StagingConfig {
    private final List<Section> sections;
    private final List<ConfigWarning> warnings;

    public StagingConfig(List<Section> sections, List<ConfigWarning> warnings) {
        this.sections = List.copyOf(sections);
        this.warnings = List.copyOf(warnings);
    }

    public List<Section> sections() { return sections; }

    public Section section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException("no section [" + name + "]", null, name, null, 0,
                        "add a [" + name + "] section to the configuration"));
    }

    public List<ConfigWarning> warnings() { return warnings; }

    public StagingConfig withOverride(String section, String option, String value) {
        Section changed = section(section).with(option, value);
        List<Section> copy = new ArrayList<>(sections);
        copy.replaceAll(s -> s.name().equals(section) ? changed : s);
        return new StagingConfig(copy, warnings);
    }
}
