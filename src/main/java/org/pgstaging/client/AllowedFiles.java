package org.pgstaging.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pgstaging.PgStagingException;

/**
 * The pgbouncer configuration files pgstaging-client may read and edit: {@code .ini} files under
 * the directories of {@code pgbouncer_dirs}, symbolic links resolved first (so a link cannot lead
 * out). Anything else is refused: the client may run as root, and pgbouncer's directory also holds
 * userlist.txt, whose password hashes no console needs.
 */
final class AllowedFiles {
    private final List<Path> dirs;

    AllowedFiles(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    /** The real path of {@code arg} when it is an allowed, existing file; refuses it otherwise. */
    Path resolve(String arg) {
        if (arg.isEmpty() || arg.indexOf('\0') >= 0 || !arg.startsWith("/")) {
            throw new ClientUsageException("'" + ClientArguments.printable(arg) + "' is not an absolute path",
                    "give pgbouncer.ini's absolute path, e.g. /etc/pgbouncer/pgbouncer.ini");
        }
        Path real;
        try {
            real = Path.of(arg).toRealPath();
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new PgStagingException("no such file: " + ClientArguments.printable(arg),
                    "check pgbouncer_conf in the section: it names pgbouncer.ini on the database server");
        }
        if (!real.getFileName().toString().endsWith(".ini") || !Files.isRegularFile(real)) {
            throw new ClientUsageException("refusing " + real + ": pgstaging-client only handles pgbouncer's .ini files",
                    "point pgbouncer_conf at pgbouncer.ini");
        }
        List<String> allowed = new ArrayList<>();
        for (Path dir : dirs) {
            allowed.add(dir.toString());
            try {
                if (real.startsWith(dir.toRealPath())) return real;
            } catch (IOException missing) {
                // a configured directory that does not exist allows nothing
            }
        }
        throw new ClientUsageException("refusing " + real + ": it is not under pgbouncer_dirs (" + String.join(", ", allowed) + ")",
                "point pgbouncer_conf at a file there, or add its directory to pgbouncer_dirs in "
                        + org.pgstaging.config.ClientConfig.FILE + " on this server");
    }
}
