package org.pgstaging;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * pgstaging's version, as Maven wrote it into {@code version.properties} (filtered resources, so
 * classes run from {@code target/classes} know it as well as the jar). The console and
 * pgstaging-client compare it before working together.
 */
public final class Version {
    private static final String RESOURCE = "/org/pgstaging/version.properties";
    private static final String CURRENT = read();

    private Version() {}

    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) return v.strip();
            }
        } catch (IOException e) {
            // fall through: a version string is not worth failing for
        }
        return "development";
    }
}
