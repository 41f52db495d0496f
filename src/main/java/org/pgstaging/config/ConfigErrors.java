package org.pgstaging.config;

import java.util.List;

/**
 * Several configuration errors at once: the loader does not stop at the first problem, so a user
 * fixes a file in one go. The location fields (file, section, option, line) and the hint are
 * those of the first error; the message starts with the first error and lists every other one,
 * each with its own location and hint. A file with exactly one error throws a plain
 * {@link ConfigException} instead, so callers only need to catch {@code ConfigException}.
 */
public final class ConfigErrors extends ConfigException {
    private final List<ConfigException> errors;

    ConfigErrors(List<ConfigException> errors) {
        super(describe(errors), errors.get(0).file(), null, null, 0, errors.get(0).hint());
        this.errors = List.copyOf(errors);
    }

    private static String describe(List<ConfigException> errors) {
        StringBuilder sb = new StringBuilder(errors.size() + " configuration errors:");
        for (ConfigException e : errors) {
            sb.append("\n  ").append(e.getMessage());
            if (e.hint() != null) sb.append(" (").append(e.hint()).append(')');
        }
        return sb.toString();
    }

    /** Every error, in file order. */
    public List<ConfigException> errors() { return errors; }

    @Override public String section() { return errors.get(0).section(); }
    @Override public String option() { return errors.get(0).option(); }
    @Override public int line() { return errors.get(0).line(); }
}
