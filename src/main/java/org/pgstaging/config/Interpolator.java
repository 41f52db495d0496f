package org.pgstaging.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python ConfigParser's "%" interpolation over one section's view of the options (its own merged
 * over [DEFAULT]): {@code %(name)s} is replaced by the (itself interpolated) value of
 * {@code name}, looked up lowercased; {@code %%} is a literal {@code %}; any other {@code %} is an
 * error. References are resolved in the section that reads the value, so a [DEFAULT] value
 * {@code %(postgres_major)s} takes each section's own postgres_major.
 */
final class Interpolator {
    /** Why an option's value cannot be computed. */
    static final class Failure extends Exception {
        final String hint;
        /** The options forming a loop, when that is the failure; empty otherwise. */
        final java.util.Set<String> loop;

        Failure(String message, String hint) {
            this(message, hint, java.util.Set.of());
        }

        Failure(String message, String hint, java.util.Set<String> loop) {
            super(message, null, false, false);
            this.hint = hint;
            this.loop = loop;
        }
    }

    private final Map<String, String> raw;
    private final Map<String, String> done = new HashMap<>();

    /** {@code raw}: option name to raw value, for every option visible from the section. */
    Interpolator(Map<String, String> raw) {
        this.raw = raw;
    }

    String resolve(String option) throws Failure {
        return resolve(option, new ArrayList<>());
    }

    private String resolve(String option, List<String> chain) throws Failure {
        String known = done.get(option);
        if (known != null) return known;
        if (chain.contains(option)) {
            List<String> path = new ArrayList<>(chain);
            path.add(option);
            throw new Failure("interpolation loop: " + String.join(" -> ", path),
                    "one of these options must hold a plain value instead of %(...)s",
                    java.util.Set.copyOf(chain.subList(chain.indexOf(option), chain.size())));
        }
        chain.add(option);
        String value = expand(raw.get(option), chain);
        chain.remove(chain.size() - 1);
        done.put(option, value);
        return value;
    }

    private String expand(String value, List<String> chain) throws Failure {
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
            } else if (i + 1 < value.length() && value.charAt(i + 1) == '%') {
                out.append('%');
                i += 2;
            } else if (i + 1 < value.length() && value.charAt(i + 1) == '(') {
                int close = value.indexOf(")s", i + 2);
                if (close < 0) {
                    throw new Failure("bad interpolation '" + value.substring(i) + "' in " + via(chain),
                            "write %(option)s to use another option's value, or %% for a literal %");
                }
                String name = value.substring(i + 2, close).strip().toLowerCase(Locale.ROOT);
                if (!raw.containsKey(name)) {
                    throw new Failure("%(" + name + ")s in " + via(chain) + " refers to undefined option '" + name + "'",
                            "define " + name + " in this section or in [DEFAULT], or write %% for a literal %");
                }
                out.append(resolve(name, chain));
                i = close + 2;
            } else {
                throw new Failure("'%' must be followed by '%' or '(' in " + via(chain) + ", found '"
                        + value.substring(i) + "'", "write %% for a literal %, or %(option)s to use another option's value");
            }
        }
        return out.toString();
    }

    private static String via(List<String> chain) {
        return String.join(" -> ", chain);
    }
}
