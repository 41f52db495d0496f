package org.pgstaging.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real nginx (/usr/sbin/nginx) serving {@code docroot} with {@code autoindex on} (HTML, exact
 * byte sizes) or {@code autoindex_format json}, on 127.0.0.1 and a free port. Usage:
 * <pre>{@code
 * try (NginxServer nginx = NginxServer.start(docroot, false)) { ... nginx.baseUrl() ... }
 * try (NginxServer slow = NginxServer.start(docroot, false, 1_000_000)) { ... }  // ~1 MB/s per request
 * }</pre>
 * The docroot (and its parents) are made world-readable because workers run as nobody when we are
 * root. Requests are logged in {@link #accessLog()} in nginx's combined format.
 */
public final class NginxServer extends HttpServerProcess {
    public static final Path BINARY = Path.of("/usr/sbin/nginx");

    private NginxServer(Path workDir, int port, List<String> command) throws IOException {
        super(workDir, port, command);
    }

    public static NginxServer start(Path docroot, boolean json) throws IOException {
        return start(docroot, json, 0);
    }

    /** @param limitRate bytes per second per response ({@code limit_rate}); 0 for unlimited */
    public static NginxServer start(Path docroot, boolean json, long limitRate) throws IOException {
        return start(docroot, json, limitRate, false);
    }

    /**
     * {@code limitRate} bytes per second only for ranges that do not start at byte 0: a dump's head
     * (its catalog) comes at once, its data blocks slowly.
     */
    public static NginxServer startLimitingRanges(Path docroot, long limitRate) throws IOException {
        return start(docroot, false, limitRate, true);
    }

    private static NginxServer start(Path docroot, boolean json, long limitRate, boolean rangesOnly) throws IOException {
        if (limitRate < 0) throw new IllegalArgumentException("limitRate must be >= 0, got " + limitRate);
        makeWorldReadable(docroot);
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path work = newWorkDir("nginx-");
            int port = freePort();
            Path conf = work.resolve("nginx.conf");
            Files.writeString(conf, config(work, docroot, port, json, limitRate, rangesOnly), StandardCharsets.UTF_8);
            // -e: without it nginx first opens the compiled-in /var/log/nginx/error.log
            List<String> cmd = List.of(BINARY.toString(), "-p", work + "/", "-c", conf.toString(),
                    "-e", work.resolve("error.log").toString(), "-g", "daemon off;");
            try {
                return new NginxServer(work, port, cmd);
            } catch (IllegalStateException e) {
                last = e;
                if (!String.valueOf(e.getMessage()).contains("Address already in use")) throw e;
            }
        }
        throw last;
    }

    @Override
    protected Path errorLog() { return workDir().resolve("error.log"); }

    @Override
    public Path accessLog() { return workDir().resolve("access.log"); }

    private static String config(Path work, Path docroot, int port, boolean json, long limitRate, boolean rangesOnly) {
        StringBuilder c = new StringBuilder();
        c.append("worker_processes 1;\n");
        c.append("pid ").append(quoted(work.resolve("nginx.pid"))).append(";\n");
        c.append("error_log ").append(quoted(work.resolve("error.log"))).append(" warn;\n");
        if (isRoot()) c.append("user nobody nogroup;\n");
        c.append("events { worker_connections 64; }\n");
        c.append("http {\n");
        // the combined format, plus the Range asked for: tests tell the head's request from the blocks'
        c.append("  log_format ranged '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent"
                + " \"$http_referer\" \"$http_user_agent\" \"$http_range\"';\n");
        c.append("  access_log ").append(quoted(work.resolve("access.log"))).append(" ranged;\n");
        for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            c.append("  ").append(t).append("_temp_path ").append(quoted(work.resolve(t + "_temp"))).append(";\n");
        }
        c.append("  default_type application/octet-stream;\n");
        c.append("  sendfile on;\n");
        if (rangesOnly) c.append("  map $http_range $range_rate { default 0; \"~^bytes=[1-9]\" ").append(limitRate).append("; }\n");
        c.append("  server {\n");
        c.append("    listen 127.0.0.1:").append(port).append(";\n");
        c.append("    server_name localhost;\n");
        c.append("    root ").append(quoted(docroot)).append(";\n");
        c.append("    location / {\n");
        c.append("      autoindex on;\n");
        if (json) c.append("      autoindex_format json;\n");
        if (rangesOnly) c.append("      limit_rate $range_rate;\n");
        else if (limitRate > 0) c.append("      limit_rate ").append(limitRate).append(";\n");
        c.append("    }\n");
        c.append("  }\n");
        c.append("}\n");
        return c.toString();
    }
}
