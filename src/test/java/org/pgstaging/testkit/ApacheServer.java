package org.pgstaging.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Apache httpd (/usr/sbin/apache2) serving {@code docroot} with mod_autoindex listings, on
 * 127.0.0.1 and a free port. Usage:
 * <pre>{@code
 * try (ApacheServer apache = ApacheServer.start(docroot, ApacheServer.Style.FANCY_TABLE)) {
 *     URI listing = apache.baseUrl().resolve("PostgreSQL/foodb/");
 * }
 * }</pre>
 * The docroot (and its parents) are made world-readable because workers run as www-data when we
 * are root. Requests are logged in {@link #accessLog()} in common log format.
 */
public final class ApacheServer extends HttpServerProcess {
    public static final Path BINARY = Path.of("/usr/sbin/apache2");
    public static final Path MODULES = Path.of("/usr/lib/apache2/modules");

    /** The mod_autoindex listing flavours a backup server may use. */
    public enum Style {
        /** {@code IndexOptions FancyIndexing HTMLTable}: a {@code <table>}, the Debian default. */
        FANCY_TABLE("FancyIndexing HTMLTable"),
        /** {@code IndexOptions FancyIndexing}: a {@code <pre>} block with columns. */
        FANCY_PRE("FancyIndexing"),
        /** No FancyIndexing: a bare {@code <ul><li><a>} list, no dates nor sizes. */
        PLAIN("-FancyIndexing");

        final String indexOptions;

        Style(String indexOptions) { this.indexOptions = indexOptions; }
    }

    private ApacheServer(Path workDir, int port, List<String> command) throws IOException {
        super(workDir, port, command);
    }

    public static ApacheServer start(Path docroot, Style style) throws IOException {
        makeWorldReadable(docroot);
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path work = newWorkDir("apache-");
            int port = freePort();
            Path conf = work.resolve("httpd.conf");
            Files.writeString(conf, config(work, docroot, port, style), StandardCharsets.UTF_8);
            try {
                return new ApacheServer(work, port, List.of(BINARY.toString(), "-f", conf.toString(), "-DFOREGROUND"));
            } catch (IllegalStateException e) {
                last = e;
                // another process may have taken the port between our probe and Apache's bind
                if (!String.valueOf(e.getMessage()).contains("Address already in use")) throw e;
            }
        }
        throw last;
    }

    @Override
    protected Path errorLog() { return workDir().resolve("error.log"); }

    @Override
    public Path accessLog() { return workDir().resolve("access.log"); }

    private static String config(Path work, Path docroot, int port, Style style) throws IOException {
        Path run = work.resolve("run");
        Files.createDirectories(run);
        StringBuilder c = new StringBuilder();
        c.append("ServerRoot ").append(quoted(work)).append('\n');
        c.append("ServerName 127.0.0.1\n");
        c.append("Listen 127.0.0.1:").append(port).append('\n');
        c.append("PidFile ").append(quoted(work.resolve("httpd.pid"))).append('\n');
        c.append("DefaultRuntimeDir ").append(quoted(run)).append('\n');
        c.append("Mutex file:").append(run.toAbsolutePath()).append(" default\n");
        c.append("ErrorLog ").append(quoted(work.resolve("error.log"))).append('\n');
        c.append("LogLevel warn\n");
        for (String m : List.of("mpm_event", "authz_core", "dir", "autoindex", "mime", "alias")) {
            c.append("LoadModule ").append(m).append("_module ")
                    .append(quoted(MODULES.resolve("mod_" + m + ".so"))).append('\n');
        }
        if (isRoot()) c.append("User www-data\nGroup www-data\n");
        c.append("StartServers 1\nServerLimit 1\nThreadsPerChild 8\nMaxRequestWorkers 8\n");
        c.append("TypesConfig /etc/mime.types\n");
        c.append("LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b\" common\n");
        c.append("CustomLog ").append(quoted(work.resolve("access.log"))).append(" common\n");
        c.append("DocumentRoot ").append(quoted(docroot)).append('\n');
        c.append("<Directory \"/\">\n  Require all denied\n  AllowOverride None\n</Directory>\n");
        c.append("<Directory ").append(quoted(docroot)).append(">\n")
                .append("  Options +Indexes +FollowSymLinks\n")
                .append("  Require all granted\n")
                .append("</Directory>\n");
        c.append("IndexOptions ").append(style.indexOptions).append('\n');
        c.append("DirectoryIndex disabled\n");
        return c.toString();
    }
}
