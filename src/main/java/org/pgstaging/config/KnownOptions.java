package org.pgstaging.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every option pgstaging reads: those of pg_staging(5), pgstaging's own, pg_staging options that
 * are accepted but ignored, and the options of the {@code [slack]} section. The console uses
 * these names for completion; the loader warns about any other name.
 */
public final class KnownOptions {
    private KnownOptions() {}

    private static final Map<String, OptionSpec> STAGING = new LinkedHashMap<>();

    static {
        // pg_staging(5)
        add("backup_host", OptionType.TEXT, false, "none");
        add("backup_base_url", OptionType.TEXT, true, "required");
        add("dumpall_url", OptionType.TEXT, false, "none");
        add("host", OptionType.HOST, true, "required");
        add("dbname", OptionType.DBNAME, false, "the section name before its first dot");
        add("dbowner", OptionType.IDENTIFIER, false, "the value of dbuser");
        add("dbuser", OptionType.IDENTIFIER, false, "postgres");
        add("maintdb", OptionType.IDENTIFIER, false, "postgres");
        add("db_encoding", OptionType.ENCODING, false, "UTF8");
        add("postgres_port", OptionType.PORT, false, "5432");
        add("postgres_major", OptionType.MAJOR, false, "none");
        add("pgbouncer_port", OptionType.PORT, false, "6432");
        add("pgbouncer_conf", OptionType.PATH, false, "/etc/pgbouncer/pgbouncer.ini");
        add("remove_dump", OptionType.BOOLEAN, false, "True");
        add("keep_bases", OptionType.POSITIVE_INT, false, "2");
        add("auto_switch", OptionType.BOOLEAN, false, "True");
        add("use_sudo", OptionType.BOOLEAN, false, "False");
        add("pg_restore", OptionType.PATH, false, "pg_restore");
        add("pg_restore_st", OptionType.BOOLEAN, false, "False");
        add("restore_vacuum", OptionType.BOOLEAN, false, "True");
        add("restore_jobs", OptionType.POSITIVE_INT, false, "1");
        add("tmpdir", OptionType.PATH, false, "the system temporary directory (java.io.tmpdir, usually /tmp)");
        add("sql_path", OptionType.PATH, false, "none");
        add("schemas", OptionType.LIST, false, "none: every schema");
        add("schemas_nodata", OptionType.LIST, false, "none");
        add("tablename_nodata_regexp", OptionType.REGEXP_LIST, false, "none");
        add("search_path", OptionType.TEXT, false, "none: the database default is kept");
        // pgstaging's own
        add("keep_failed", OptionType.BOOLEAN, false, "False");
        add("approval", OptionType.APPROVAL, false, "dba");
        add("pgbouncer_db_host", OptionType.TEXT, false, "127.0.0.1");
        add("pg_dump", OptionType.PATH, false, "pg_dump, in the directory of pg_restore");
        add("psql", OptionType.PATH, false, "psql, in the directory of pg_restore");
        add("ssh_host", OptionType.HOST, false, "the value of host");
        add("ssh_user", OptionType.SSH_USER, false, "none: ssh's own choice");
        add("ssh_port", OptionType.PORT, false, "none: ssh's own choice");
        add("ssh_identity", OptionType.PATH, false, "none: ssh's own choice");
        add("ssh_key", OptionType.PATH, false, "none: a synonym of ssh_identity");
        add("ssh_known_hosts", OptionType.PATH, false, "none: ~/.ssh/known_hosts");
        add("ssh_config", OptionType.PATH, false, "none: ~/.ssh/config");
        add("client_path", OptionType.PATH, false, "/usr/bin/pgstaging-client");
        add("restore_on", OptionType.RESTORE_ON, false, "console");
        add("restore_mode", OptionType.RESTORE_MODE, false, "auto");
        add("download_connections", OptionType.POSITIVE_INT, false, "restore_jobs, at least 2, at most 4");
        add("fetch_ahead", OptionType.BOOLEAN, false, "True");
        add("restore_settings", OptionType.SETTINGS, false, "maintenance_work_mem=1GB, synchronous_commit=off");
    }

    /**
     * pg_staging options that pgstaging does not implement (replication, PITR): accepted silently
     * so that pg_staging files load unchanged. pg_staging itself reads base_backup, wal_archive and
     * backup_command; base_backup_cmd and wal_archive_cmd are the names of its internal fields.
     * (relname_nodata_regexp is not here: pg_staging never read such an option, only
     * tablename_nodata_regexp, so it gets the unknown-option warning that points there.)
     */
    private static final Set<String> IGNORED = Set.of(
            "replication", "pitr_basedir", "base_backup", "wal_archive", "backup_command",
            "base_backup_cmd", "wal_archive_cmd");

    private static final List<String> SLACK = List.of(
            "bot_token", "app_token", "signing_secret", "mode", "http_port", "state_dir", "state_url", "command",
            "channels", "requesters", "approvers", "approval_channel", "self_approval", "api_url",
            "stall_minutes", "metrics_port", "log_format");

    private static void add(String name, OptionType type, boolean required, String dflt) {
        STAGING.put(name, new OptionSpec(name, type, required, dflt));
    }

    /** Names of the staging options, in documentation order. */
    public static List<String> stagingOptions() { return List.copyOf(STAGING.keySet()); }

    /** pg_staging options accepted in staging sections and ignored. */
    public static Set<String> ignoredOptions() { return IGNORED; }

    /** Names of the {@code [slack]} options. */
    public static List<String> slackOptions() { return SLACK; }

    static OptionSpec spec(String name) { return STAGING.get(name); }

    static Iterable<OptionSpec> specs() { return STAGING.values(); }

    static boolean acceptedInStaging(String name) {
        return STAGING.containsKey(name) || IGNORED.contains(name);
    }
}
