package org.pgstaging.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ini4j.Config;
import org.ini4j.Ini;

/**
 * TEMPORARY PLACEHOLDER from the cli branch so the command line and its tests run; the config
 * helper's real {@code ConfigLoader} (validation, interpolation, warnings) replaces this file at
 * merge. It only merges [DEFAULT] into each section.
 */
public final class ConfigLoader {
    public static final String ENV = "PGSTAGING_CONFIG";
    public static final Path DEFAULT_PATH = Path.of("/etc/pgstaging/pgstaging.ini");

    private ConfigLoader() {}

    public static Path resolvePath(String cliOptionOrNull) {
        if (cliOptionOrNull != null && !cliOptionOrNull.isBlank()) return Path.of(cliOptionOrNull);
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) return Path.of(env);
        return DEFAULT_PATH;
    }

    public static StagingConfig load(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("cannot read the configuration file", file, null, null, 0,
                    "create it, or give another one with -c FILE or $" + ENV);
        }
        Ini ini = new Ini();
        Config cfg = ini.getConfig().clone();
        cfg.setEscape(false);
        ini.setConfig(cfg);
        try (Reader r = Files.newBufferedReader(file)) {
            ini.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot parse: " + e.getMessage(), file, null, null, 0,
                    "check the ini syntax");
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        if (ini.get("DEFAULT") != null) defaults.putAll(ini.get("DEFAULT"));
        List<Section> sections = new ArrayList<>();
        for (String name : ini.keySet()) {
            if (name.equals("DEFAULT")) continue;
            Map<String, String> values = new LinkedHashMap<>(defaults);
            values.putAll(ini.get(name));
            sections.add(new Section(name, values));
        }
        return new StagingConfig(sections, List.of());
    }
}
