package org.pgstaging.cli;

import org.pgstaging.Version;
import picocli.CommandLine.IVersionProvider;

/** picocli's view of {@link Version}. */
public final class VersionInfo implements IVersionProvider {
    public static String version() {
        return Version.current();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"pgstaging " + version()};
    }
}
