package org.pgstaging.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.pgstaging.host.ClientProtocol;

/**
 * pgstaging-client's command line, read strictly: one of a fixed set of sub-commands, the console's
 * version, and only the options that sub-command takes, each once, each value checked. Anything
 * else is refused before anything runs, since the client may be running as root through sudo.
 */
record ClientArguments(String command, String consoleVersion, Map<String, String> options, List<String> positional) {
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+~_-]{0,63}");
    private static final Pattern DBNAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,53}");
    private static final Pattern DATED = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,53}_\\d{8}");
    private static final Set<String> VERBS = Set.of("start", "stop", "restart", "reload", "status");

    /** Sub-command -> the options it needs, those it may take, and how many positional words. */
    private record Shape(Set<String> required, Set<String> optional, int positional) {
        boolean takes(String option) {
            return required.contains(option) || optional.contains(option);
        }
    }

    private static final Map<String, Shape> SHAPES = Map.of(
            ClientProtocol.VERSION, new Shape(Set.of(), Set.of(), 0),
            ClientProtocol.READ, new Shape(Set.of(ClientProtocol.CONF), Set.of(), 0),
            ClientProtocol.CHECK, new Shape(Set.of(ClientProtocol.CONF), Set.of(), 0),
            ClientProtocol.EDIT, new Shape(Set.of(ClientProtocol.CONF), Set.of(), 0),
            ClientProtocol.SERVICE, new Shape(Set.of(), Set.of(), 1),
            ClientProtocol.RESTORE, new Shape(Set.of(), Set.of(), 0),
            ClientProtocol.RUNS, new Shape(Set.of(ClientProtocol.DBNAME), Set.of(ClientProtocol.FORGET), 0));

    static ClientArguments parse(String[] args) {
        String command = args[0];
        Shape shape = SHAPES.get(command);
        if (shape == null) {
            throw new ClientUsageException("unknown sub-command '" + printable(command) + "'",
                    "pgstaging-client only runs: " + String.join(", ", new java.util.TreeSet<>(SHAPES.keySet())));
        }
        String consoleVersion = null;
        Map<String, String> options = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new ClientUsageException(command + ": option " + printable(a) + " needs a value", null);
                }
                String value = args[++i];
                if (a.equals(ClientProtocol.CONSOLE_VERSION)) {
                    if (consoleVersion != null) throw twice(command, a);
                    consoleVersion = value;
                } else if (shape.takes(a)) {
                    if (options.put(a, value) != null) throw twice(command, a);
                } else {
                    throw new ClientUsageException(command + " takes no option " + printable(a), null);
                }
            } else {
                positional.add(a);
            }
        }
        if (consoleVersion == null || !VERSION.matcher(consoleVersion).matches()) {
            throw new ClientUsageException(command + ": " + ClientProtocol.CONSOLE_VERSION + " VERSION is required",
                    "pgstaging-client is run by pgstaging over SSH, which names its own version");
        }
        for (String o : shape.required()) {
            if (!options.containsKey(o)) throw new ClientUsageException(command + " needs " + o + " VALUE", null);
        }
        if (positional.size() != shape.positional()) {
            throw new ClientUsageException(command + " takes " + shape.positional() + " argument(s), not "
                    + positional.size(), null);
        }
        if (command.equals(ClientProtocol.SERVICE) && !VERBS.contains(positional.get(0))) {
            throw new ClientUsageException("service: unknown action '" + printable(positional.get(0)) + "'",
                    "use one of start, stop, restart, reload, status");
        }
        String dbname = options.get(ClientProtocol.DBNAME);
        if (dbname != null && !DBNAME.matcher(dbname).matches()) {
            throw new ClientUsageException("'" + printable(dbname) + "' is not a database base name",
                    "letters, digits, _ and -, starting with a letter or _");
        }
        String forget = options.get(ClientProtocol.FORGET);
        if (forget != null && (!DATED.matcher(forget).matches() || !forget.startsWith(dbname + "_"))) {
            throw new ClientUsageException("'" + printable(forget) + "' is not a dated copy of " + printable(dbname),
                    "give " + printable(dbname) + "_YYYYMMDD");
        }
        return new ClientArguments(command, consoleVersion, Map.copyOf(options), List.copyOf(positional));
    }

    String option(String name) {
        return options.get(name);
    }

    private static ClientUsageException twice(String command, String option) {
        return new ClientUsageException(command + ": option " + option + " given twice", null);
    }

    /** Arguments are echoed in messages: no control characters, bounded. */
    static String printable(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
