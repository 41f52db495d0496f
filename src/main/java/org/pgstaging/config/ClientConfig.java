package org.pgstaging.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * pgstaging-client's settings on a database server, {@code /etc/pgstaging/pgstaging-client.conf}:
 * what the server's administrator lets pgstaging touch there. They come from a root-owned file at
 * a fixed path, never from the console, so a console (or someone with its SSH key) cannot widen
 * them.
 *
 * <pre>
 * [client]
 * pgbouncer_dirs = /etc/pgbouncer        # directories whose files may be read and edited
 * pgbouncer_unit = pgbouncer             # the systemd unit of start|stop|restart|reload|status
 * </pre>
 */
public record ClientConfig(List<Path> pgbouncerDirs, String pgbouncerUnit) {
    public static final Path FILE = Path.of("/etc/pgstaging/pgstaging-client.conf");
    public static final ClientConfig DEFAULTS = new ClientConfig(List.of(Path.of("/etc/pgbouncer")), "pgbouncer");
    private static final String SECTION = "client";
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9_.@-]+");

    /** The settings of {@code file}; the defaults when it does not exist. Every problem is reported with its line. */
    public static ClientConfig load(Path file) {
        if (!Files.exists(file)) return DEFAULTS;
        List<Problem> problems = new ArrayList<>();
        RawIni raw = IniReader.read(file, problems);
        List<Path> dirs = DEFAULTS.pgbouncerDirs();
        String unit = DEFAULTS.pgbouncerUnit();
        List<RawIni.Sect> sections = new ArrayList<>(raw.sections());
        sections.add(raw.defaults());
        for (RawIni.Sect s : sections) {
            if (!s.name().equals(SECTION) && !s.options().isEmpty()) {
                problems.add(new Problem(file, s.name(), null, s.line(), "unknown section [" + s.name() + "]",
                        "put the settings in a [" + SECTION + "] section"));
                continue;
            }
            for (RawIni.Option o : s.options().values()) {
                switch (o.name()) {
                    case "pgbouncer_dirs" -> {
                        List<Path> list = new ArrayList<>();
                        for (String d : ConfigValues.parseList(o.value())) {
                            if (!d.startsWith("/")) {
                                problems.add(new Problem(file, s.name(), o.name(), o.line(), "'" + d + "' is not an absolute path",
                                        "write absolute directories, e.g. pgbouncer_dirs = /etc/pgbouncer"));
                            }
                            list.add(Path.of(d).normalize());
                        }
                        dirs = List.copyOf(list);
                    }
                    case "pgbouncer_unit" -> {
                        unit = o.value().strip();
                        if (!UNIT.matcher(unit).matches()) {
                            problems.add(new Problem(file, s.name(), o.name(), o.line(), "'" + unit + "' is not a systemd unit name",
                                    "write e.g. pgbouncer_unit = pgbouncer"));
                        }
                    }
                    default -> problems.add(new Problem(file, s.name(), o.name(), o.line(), "unknown setting '" + o.name() + "'",
                            "known settings: pgbouncer_dirs, pgbouncer_unit"));
                }
            }
        }
        if (problems.size() == 1) throw problems.get(0).toException();
        if (!problems.isEmpty()) throw new ConfigErrors(problems.stream().map(Problem::toException).toList());
        return new ClientConfig(dirs, unit);
    }
}
