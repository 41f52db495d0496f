package org.pgstaging.backup;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.pgstaging.config.ConfigException;
import org.pgstaging.config.Section;

/**
 * Where a section's dumps live, from {@code backup_host} and {@code backup_base_url}:
 * <ol>
 *   <li>{@code backup_base_url} is a full {@code http://} or {@code https://} URL: that listing;
 *       {@code backup_host} is ignored.</li>
 *   <li>{@code backup_base_url} is a {@code file:} URL ({@code file:///srv/dumps/}): that local
 *       directory ({@link LocalDirectorySource}).</li>
 *   <li>{@code backup_host} is empty and {@code backup_base_url} is an absolute path: that local
 *       directory.</li>
 *   <li>Otherwise, as pg_staging: the listing is {@code http://} + backup_host + backup_base_url,
 *       joined with exactly one slash, e.g. {@code backup_host = db-backup:8080} and
 *       {@code backup_base_url = /PostgreSQL/foodb/nightly/} give
 *       {@code http://db-backup:8080/PostgreSQL/foodb/nightly/}. backup_host is {@code host} or
 *       {@code host:port} (IPv6 in brackets).</li>
 * </ol>
 * In every case the directory ends with a slash and a dump is {@code <directory>dbname.YYYY-MM-DD.dump}.
 * Anything else (empty backup_base_url, a relative path without backup_host, another scheme) is a
 * {@link ConfigException} naming the option.
 */
public final class BackupSources {
    private static final Pattern HTTP_URL = Pattern.compile("(?i)https?://.*");
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");

    private BackupSources() { }

    /** A directory listing as Apache writes one: parsed once by {@link #warmUp()}, its result unused. */
    private static final String SAMPLE_LISTING = "<html><head><title>Index of /d</title></head><body><h1>Index of /d</h1>"
            + "<table><tr><th><a href=\"?C=N;O=D\">Name</a></th><th>Last modified</th><th>Size</th></tr>"
            + "<tr><td><a href=\"db.2024-01-01.dump\">db.2024-01-01.dump</a></td><td>2024-01-01 02:00</td><td>1.0M</td></tr>"
            + "</table></body></html>";

    /** Loads and builds the shared HTTP client now rather than at the first request. */
    public static void warmUp() {
        HttpTransport.warmUp();
    }

    /**
     * Builds a listing's caches and parses a sample listing, so that a command's first listing
     * finds their classes loaded and initialized (jsoup's tag and entity tables take ~90 ms in a
     * cold process). Touches no network.
     */
    public static void warmUpListings() {
        new HttpBackupSource(URI.create("http://localhost/"));
        ListingParser.parse(SAMPLE_LISTING);
    }

    public static BackupSource forSection(Section s) {
        String base = s.backupBaseUrl().trim();
        String host = s.backupHost().trim();
        if (base.isEmpty()) {
            throw new ConfigException("backup_base_url is not set", null, s.name(), "backup_base_url", 0,
                    "set it to the directory holding the dumps, e.g. /PostgreSQL/" + s.dbname() + "/ with backup_host,"
                            + " a full http:// URL, or a local absolute path");
        }
        if (HTTP_URL.matcher(base).matches()) return new HttpBackupSource(parse(s, "backup_base_url", base));
        if (base.regionMatches(true, 0, "file:", 0, 5)) {
            URI uri = parse(s, "backup_base_url", base);
            try {
                return new LocalDirectorySource(Path.of(uri));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("not a local directory URL: " + base + " (" + e.getMessage() + ")",
                        null, s.name(), "backup_base_url", 0, "write it as file:///absolute/path/");
            }
        }
        if (SCHEME.matcher(base).matches() && !base.startsWith("/")) {
            throw new ConfigException("unsupported URL scheme in '" + base + "'", null, s.name(), "backup_base_url", 0,
                    "use an http(s):// URL, a file:/// URL, or a path with backup_host");
        }
        if (host.isEmpty()) {
            if (base.startsWith("/")) return new LocalDirectorySource(Path.of(base));
            throw new ConfigException("relative path '" + base + "' without backup_host", null, s.name(),
                    "backup_base_url", 0, "set backup_host to the web server holding the dumps, or use an absolute path");
        }
        return new HttpBackupSource(hostUrl(s, "backup_base_url", host, base));
    }

    /**
     * The {@code dumpall_url} file (pg_dumpall -g output): a full http(s) URL as is, else a path on
     * backup_host, joined like the listing. Empty when the option is not set.
     */
    public static Optional<URI> dumpallUrl(Section s) {
        Optional<String> v = s.dumpallUrl().map(String::trim);
        if (v.isEmpty()) return Optional.empty();
        String url = v.get();
        if (HTTP_URL.matcher(url).matches()) return Optional.of(parse(s, "dumpall_url", url));
        String host = s.backupHost().trim();
        if (host.isEmpty()) {
            throw new ConfigException("dumpall_url '" + url + "' is a path but backup_host is empty", null, s.name(),
                    "dumpall_url", 0, "set backup_host, or give dumpall_url as a full http:// URL");
        }
        return Optional.of(hostUrl(s, "dumpall_url", host, url));
    }

    /**
     * Dumps of {@code dbname} already downloaded into tmpdir (pg_staging's {@code backups dbname local}),
     * oldest first. Partial downloads ({@code .name.part}) are not listed.
     */
    public static List<BackupFile> localDumps(Path tmpdir, String dbname) {
        return new LocalDirectorySource(tmpdir).list(dbname);
    }

    /**
     * The dump a date spec designates among those listed: the newest or oldest, or the one of a fixed
     * date. Throws naming the source and the nearest dates when there is none.
     */
    public static BackupFile resolve(BackupSource source, String dbname, DateSpec spec, LocalDate today) {
        List<BackupFile> all = source.list(dbname);
        if (all.isEmpty()) {
            throw new BackupException("no dumps of " + dbname + " at " + source.describe(),
                    "check dbname and backup_base_url; dumps must be named " + dbname + ".YYYY-MM-DD.dump");
        }
        LocalDate date = spec.resolve(all.stream().map(BackupFile::date).toList(), today).orElseThrow();
        return all.stream().filter(b -> b.date().equals(date)).findFirst().orElseThrow(() ->
                new BackupException("no dump " + DumpName.fileName(dbname, date) + " at " + source.describe(),
                        "nearest available dates: " + HttpBackupSource.nearest(all, date)));
    }

    private static URI hostUrl(Section s, String option, String host, String path) {
        if (!HOST.matcher(host).matches()) {
            throw new ConfigException("invalid backup_host '" + host + "'", null, s.name(), "backup_host", 0,
                    "write it as host or host:port, without http:// or a path");
        }
        String p = path.replaceFirst("^/+", "");
        return parse(s, option, "http://" + host + "/" + p);
    }

    private static URI parse(Section s, String option, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() != null && uri.getScheme().toLowerCase().startsWith("http") && uri.getHost() == null) {
                throw new URISyntaxException(text, "no host name");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("invalid URL '" + text + "': " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""), null, s.name(), option, 0,
                    "percent-encode special characters (a space is %20)");
        }
    }
}
