package org.pgstaging.backup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.pgstaging.testkit.ApacheServer;
import org.pgstaging.testkit.HttpServerProcess;
import org.pgstaging.testkit.NginxServer;

/**
 * Regenerates the listings under src/test/resources/backup/ from the real servers, serving
 * {@link SampleDumps}. Not a test: run on purpose with
 * {@code mvn -B -q test -Dtest=CaptureListingSamples -Dcapture.listings=true}.
 */
@EnabledIfSystemProperty(named = "capture.listings", matches = "true")
class CaptureListingSamples {
    private static final Path OUT = Path.of("src/test/resources/backup");

    @Test
    void capture(@TempDir Path docroot) throws Exception {
        SampleDumps.create(docroot);
        Files.createDirectories(OUT);
        for (ApacheServer.Style style : ApacheServer.Style.values()) {
            try (ApacheServer s = ApacheServer.start(docroot, style)) {
                save(s, "apache-" + style.name().toLowerCase().replace('_', '-') + ".html");
            }
        }
        try (NginxServer s = NginxServer.start(docroot, false)) {
            save(s, "nginx.html");
        }
        try (NginxServer s = NginxServer.start(docroot, true)) {
            save(s, "nginx.json");
        }
    }

    private static void save(HttpServerProcess server, String name) throws IOException, InterruptedException {
        URI url = server.baseUrl().resolve(SampleDumps.DIR + "/");
        HttpResponse<byte[]> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IOException(url + " answered " + r.statusCode());
        Files.write(OUT.resolve(name), r.body());
    }
}
