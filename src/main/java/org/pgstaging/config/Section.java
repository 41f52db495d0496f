package org.pgstaging.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One staging target of the ini file, e.g. {@code [foodb.dev]}: its options already
 * merged with {@code [DEFAULT]} and interpolated. Values were validated by {@link ConfigLoader},
 * so typed accessors do not fail on well-loaded sections.
 */
public final class Section {
    private final String name;
    private final Map<String, String> values;

    public Section(String name, Map<String, String> values) {
        this.name = name;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Section name as written in the ini file, e.g. {@code foodb.dev}. */
    public String name() { return name; }

    /** All resolved options, including inherited defaults. */
    public Map<String, String> values() { return values; }

    public Optional<String> get(String option) {
        String v = values.get(option);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String require(String option) {
        return get(option).orElseThrow(() -> new ConfigException(
                "missing required option '" + option + "'", null, name, option, 0,
                "add '" + option + " = ...' to [" + name + "] or to [DEFAULT]"));
    }

    /** Database base name; dated copies are {@code dbname_YYYYMMDD}. Defaults to the section name before its first dot. */
    public String dbname() {
        return get("dbname").orElseGet(() -> name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
    }

    public String backupHost() { return get("backup_host").orElse(""); }
    public String backupBaseUrl() { return get("backup_base_url").orElse(""); }
    public Optional<String> dumpallUrl() { return get("dumpall_url"); }
    public String host() { return get("host").orElse("localhost"); }
    public String dbowner() { return get("dbowner").orElse(dbuser()); }
    public String dbuser() { return get("dbuser").orElse("postgres"); }
    public String maintdb() { return get("maintdb").orElse("postgres"); }
    public String dbEncoding() { return get("db_encoding").orElse("UTF8"); }
    public int postgresPort() { return intValue("postgres_port", 5432); }
    public Optional<String> postgresMajor() { return get("postgres_major"); }
    public int pgbouncerPort() { return intValue("pgbouncer_port", 6432); }
    public Path pgbouncerConf() { return Path.of(get("pgbouncer_conf").orElse("/etc/pgbouncer/pgbouncer.ini")); }
    public boolean removeDump() { return bool("remove_dump", true); }
    public int keepBases() { return intValue("keep_bases", 2); }
    public boolean autoSwitch() { return bool("auto_switch", true); }
    public boolean useSudo() { return bool("use_sudo", false); }
    public String pgRestore() { return get("pg_restore").orElse("pg_restore"); }
    public boolean pgRestoreSingleTransaction() { return bool("pg_restore_st", false); }
    public boolean restoreVacuum() { return bool("restore_vacuum", true); }
    public boolean fetchAhead() { return bool("fetch_ahead", true); }
    public int restoreJobs() { return intValue("restore_jobs", 1); }
    public Path tmpdir() { return Path.of(get("tmpdir").orElse(System.getProperty("java.io.tmpdir"))); }
    public Optional<Path> sqlPath() { return get("sql_path").map(Section::expandHome); }
    public List<String> schemas() { return list("schemas"); }
    public List<String> schemasNodata() { return list("schemas_nodata"); }
    /**
     * Tables restored without data: a comma separated list of regexps in the file (as pg_staging),
     * matched unanchored against {@code schema.table}; here one pattern, their alternation.
     */
    public Optional<Pattern> tablenameNodataRegexp() {
        List<Pattern> each = tablenameNodataRegexps();
        if (each.isEmpty()) return Optional.empty();
        if (each.size() == 1) return Optional.of(each.get(0));
        return Optional.of(Pattern.compile(each.stream().map(p -> "(?:" + p.pattern() + ")")
                .collect(java.util.stream.Collectors.joining("|"))));
    }

    /** The regexps of tablename_nodata_regexp one by one; a table matching any of them gets no data. */
    public List<Pattern> tablenameNodataRegexps() {
        return list("tablename_nodata_regexp").stream().map(Pattern::compile).toList();
    }
    /** Raw search_path value, e.g. {@code "$user", public}; empty when the database default is kept. */
    public Optional<String> searchPath() { return get("search_path"); }
    /** When a restore fails, keep the half-made database for inspection instead of dropping it. */
    public boolean keepFailed() { return bool("keep_failed", false); }

    /** {@code none} (restores run when asked) or {@code dba} (a DBA must approve each restore), lowercase. */
    public String approval() { return get("approval").orElse("dba").toLowerCase(java.util.Locale.ROOT); }

    /** Host written in pgbouncer entries: where pgbouncer reaches PostgreSQL (same machine by default). */
    public String pgbouncerDbHost() { return get("pgbouncer_db_host").orElse("127.0.0.1"); }

    /**
     * {@code auto}, {@code stream} (pg_restore reads the download on stdin as it arrives) or
     * {@code file} (download to tmpdir, then restore), lowercase.
     */
    public String restoreMode() { return get("restore_mode").orElse("auto").toLowerCase(java.util.Locale.ROOT); }

    /** Parallel HTTP connections for one download: the option, else restore_jobs capped at 4. */
    public int downloadConnections() { return intValue("download_connections", Math.min(Math.max(restoreJobs(), 2), 4)); }

    /**
     * Settings for pg_restore's sessions: the option (blank or none: the server's own), else
     * {@link SessionSettings#DEFAULTS}.
     */
    public SessionSettings restoreSettings() {
        String v = values.get("restore_settings");
        return v == null ? SessionSettings.DEFAULTS : SessionSettings.parse(v);
    }

    public boolean approvalRequired() { return approval().equals("dba"); }

    /** pg_dump binary: the option, else pg_dump next to pg_restore (same directory), else from PATH. */
    public String pgDump() { return get("pg_dump").orElseGet(() -> besidePgRestore("pg_dump")); }

    /** psql binary: the option, else psql next to pg_restore (same directory), else from PATH. */
    public String psql() { return get("psql").orElseGet(() -> besidePgRestore("psql")); }

    /** Where SSH goes: ssh_host (a name, an address or a Host alias of ~/.ssh/config), else host. */
    public String sshHost() { return get("ssh_host").orElseGet(this::host); }

    /**
     * Whether this section's server is driven over SSH: ssh_host is set, or host is not this
     * machine ({@code localhost}, {@code 127.0.0.1} and {@code ::1} keep everything local).
     */
    public boolean remote() {
        return get("ssh_host").isPresent() || !LOCAL_HOSTS.contains(host().toLowerCase(java.util.Locale.ROOT));
    }

    private static final java.util.Set<String> LOCAL_HOSTS = java.util.Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    /** SSH login; empty: ssh's own choice (~/.ssh/config's User, else the current user). */
    public Optional<String> sshUser() { return get("ssh_user"); }

    /** SSH port; empty: ssh's own choice (~/.ssh/config's Port, else 22). */
    public Optional<Integer> sshPort() { return get("ssh_port").map(v -> ConfigValues.parseInt(name, "ssh_port", v)); }

    /** SSH private key: ssh_identity, else its synonym ssh_key; empty: ssh's own choice. */
    public Optional<Path> sshIdentity() {
        return get("ssh_identity").or(() -> get("ssh_key")).map(Section::expandHome);
    }

    /** The synonym of ssh_identity pg_staging's files may use. */
    public Optional<Path> sshKey() { return get("ssh_key").map(Section::expandHome); }

    /** known_hosts file host keys are checked against; empty: ssh's own (~/.ssh/known_hosts). */
    public Optional<Path> sshKnownHosts() { return get("ssh_known_hosts").map(Section::expandHome); }

    /** ssh configuration file used instead of ~/.ssh/config ({@code ssh -F}). */
    public Optional<Path> sshConfig() { return get("ssh_config").map(Section::expandHome); }

    /** pgstaging-client's path on the database server (the path its sudoers rule names). */
    public String clientPath() { return get("client_path").orElse("/usr/bin/pgstaging-client"); }

    /**
     * {@code console} (fetch here, pg_restore against the server) or {@code target} (pgstaging-client
     * on the database server fetches and restores next to the data), lowercase.
     */
    public String restoreOn() { return get("restore_on").orElse("console").toLowerCase(java.util.Locale.ROOT); }

    /** As pg_staging: the SQL files of this section live in {@code sql_path/<section name>/{pre,post}}. */
    public Optional<Path> sqlDir() { return sqlPath().map(p -> p.resolve(name)); }

    private String besidePgRestore(String binary) {
        String restore = pgRestore();
        int slash = restore.lastIndexOf('/');
        return slash < 0 ? binary : restore.substring(0, slash + 1) + binary;
    }

    public int intValue(String option, int dflt) {
        return get(option).map(v -> ConfigValues.parseInt(name, option, v)).orElse(dflt);
    }

    public boolean bool(String option, boolean dflt) {
        return get(option).map(v -> ConfigValues.parseBoolean(name, option, v)).orElse(dflt);
    }

    public List<String> list(String option) {
        return get(option).map(ConfigValues::parseList).orElse(List.of());
    }

    private static Path expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + p.substring(1));
        }
        return Path.of(p);
    }

    @Override
    public String toString() { return "[" + name + "]"; }

    /** Helper for tests and the {@code set} command: a copy with one option changed. */
    public Section with(String option, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(option, value);
        return new Section(name, copy);
    }

    static List<String> splitList(String v) {
        // Newlines separate too: a list may be continued on indented lines without trailing commas.
        return Arrays.stream(v.split("[,\n]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
