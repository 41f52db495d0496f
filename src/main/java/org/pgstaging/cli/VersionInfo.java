package org.pgstaging.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar (pom.properties); "development" when run from classes. */
public final class VersionInfo implements IVersionProvider {
    private static final String POM = "/META-INF/maven/org.pgstaging/pgstaging/pom.properties";

    public static String version() {
        try (InputStream in = VersionInfo.class.getResourceAsStream(POM)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) return v;
            }
        } catch (IOException e) {
            // fall through: a version string is not worth failing for
        }
        String v = VersionInfo.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"pgstaging " + version()};
    }
}
