package org.pgstaging.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds and loads pgstaging.ini: pg_staging's ini format, unchanged (see pgstaging.ini(5)).
 * Loading never stops at the first problem: every error of the file is reported at once.
 */
public final class ConfigLoader {
    /** Environment variable naming the configuration file when {@code -c} is not given. */
    public static final String ENV = "PGSTAGING_CONFIG";
    /** Where the configuration is looked for last. */
    public static final Path SYSTEM_FILE = Path.of("/etc/pgstaging/pgstaging.ini");

    private static final String LOOKED_AT = "pgstaging looks at -c FILE, then $" + ENV + ", then " + SYSTEM_FILE;

    private ConfigLoader() {}

    /**
     * Reads and validates {@code file}.
     *
     * @throws ConfigException the file is missing or unreadable; or it has errors, each located by
     *         file, section, option and line ({@link ConfigErrors} when there are several)
     */
    public static StagingConfig load(Path file) {
        checkReadable(file, LOOKED_AT);
        List<Problem> problems = new ArrayList<>();
        RawIni raw = IniReader.read(file, problems);
        return ConfigAssembler.assemble(file, raw, problems);
    }

    /**
     * One section from resolved values (a console's, sent to pgstaging-client for a restore on the
     * server), validated exactly as if read from a file. Values are taken literally: no
     * interpolation, as they were interpolated where they were read.
     *
     * @throws ConfigException a value is invalid (named by section and option)
     */
    public static Section section(String name, java.util.Map<String, String> values) {
        java.util.Map<String, RawIni.Option> options = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> options.put(k, new RawIni.Option(k, v.replace("%", "%%"), 0)));
        RawIni raw = new RawIni(new RawIni.Sect(RawIni.DEFAULT, 0, java.util.Map.of()),
                List.of(new RawIni.Sect(name, 0, options)), List.of());
        return ConfigAssembler.assemble(null, raw, List.of()).section(name);
    }

    /**
     * The configuration file to use: {@code cliOption} (the {@code -c} value; null or blank when not
     * given), else {@code $PGSTAGING_CONFIG}, else {@code /etc/pgstaging/pgstaging.ini}.
     *
     * @throws ConfigException the chosen file does not exist or cannot be read; the message names it
     *         and the three places looked at
     */
    public static Path resolvePath(String cliOption) {
        return resolvePath(cliOption, System.getenv(), SYSTEM_FILE);
    }

    static Path resolvePath(String cliOption, Map<String, String> env, Path systemFile) {
        String fromEnv = env.get(ENV);
        Path chosen;
        if (cliOption != null && !cliOption.isBlank()) {
            chosen = Path.of(cliOption.strip());
        } else if (fromEnv != null && !fromEnv.isBlank()) {
            chosen = Path.of(fromEnv.strip());
        } else {
            chosen = systemFile;
        }
        String places = "looked at: -c " + (cliOption == null || cliOption.isBlank() ? "(not given)" : cliOption.strip())
                + "; $" + ENV + " " + (fromEnv == null || fromEnv.isBlank() ? "(not set)" : "= " + fromEnv.strip())
                + "; " + systemFile;
        checkReadable(chosen, places);
        return chosen;
    }

    private static void checkReadable(Path file, String places) {
        String why = null;
        if (!Files.exists(file)) why = "no such file";
        else if (Files.isDirectory(file)) why = "it is a directory";
        else if (!Files.isReadable(file)) why = "permission denied";
        if (why != null) throw unreadable(file, why, places);
    }

    static ConfigException unreadable(Path file, String why) {
        return unreadable(file, why, LOOKED_AT);
    }

    private static ConfigException unreadable(Path file, String why, String places) {
        return new ConfigException("cannot read configuration file: " + why + " (" + places + ")", file, null, null, 0,
                "pass -c FILE, set " + ENV + ", or create " + SYSTEM_FILE
                        + "; config/pgstaging.ini is a commented example, pgstaging.ini(5) describes every option");
    }
}
