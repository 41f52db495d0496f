package org.pgstaging.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test kit itself: servers serve the docroot, stop on close, and explain failed starts. */
class HttpServerProcessTest {
    @TempDir
    Path docroot;

    @Test
    void servesFilesAndStopsOnClose() throws Exception {
        Files.writeString(docroot.resolve("hello.txt"), "hello");
        URI url;
        Path work;
        try (NginxServer nginx = NginxServer.start(docroot, false)) {
            url = nginx.baseUrl().resolve("hello.txt");
            work = nginx.workDir();
            assertThat(get(url)).isEqualTo("hello");
            assertThat(nginx.awaitRequestCount("/hello.txt", 1)).isEqualTo(1);
            nginx.close(); // close is idempotent: try-with-resources closes again
        }
        assertThat(work).doesNotExist();
        assertThatThrownBy(() -> get(url)).isInstanceOf(IOException.class);
    }

    @Test
    void failedStartIncludesTheServerErrors() throws IOException {
        Path notADirectory = Files.writeString(docroot.resolve("file"), "x");
        assertThatThrownBy(() -> ApacheServer.start(notADirectory, ApacheServer.Style.FANCY_TABLE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with status")
                .hasMessageContaining("DocumentRoot");
    }

    private static String get(URI url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
