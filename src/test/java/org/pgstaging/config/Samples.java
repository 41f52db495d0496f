package org.pgstaging.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test files: resources under src/test/resources/config, or ini text written to a temporary directory. */
final class Samples {
    private Samples() {}

    static Path resource(String name) {
        try {
            return Path.of(Samples.class.getResource("/config/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource /config/" + name, e);
        }
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid [DEFAULT] block so that a test only writes what it is about. */
    static final String MINIMAL_DEFAULT = "[DEFAULT]\nbackup_base_url = /dumps\nhost = localhost\n\n";
}
