package org.pgstaging.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link RawIni} into a validated {@link StagingConfig}: interpolates each staging section
 * over [DEFAULT], checks every value, warns about unknown options, and collects all problems.
 *
 * <p>A value defined in [DEFAULT] is checked once, at its [DEFAULT] line, unless a section gives it
 * a different meaning through interpolation; then the problem is reported for that section.
 */
final class ConfigAssembler {
    private final Path file;
    private final RawIni raw;
    private final Set<Problem> problems;
    private final List<ConfigWarning> warnings;

    private final Map<String, String> defaultsResolved = new LinkedHashMap<>();
    private final Map<String, String> defaultsFailure = new HashMap<>();

    private ConfigAssembler(Path file, RawIni raw, List<Problem> parseProblems) {
        this.file = file;
        this.raw = raw;
        this.problems = new LinkedHashSet<>(parseProblems);
        this.warnings = new ArrayList<>(raw.warnings());
    }

    /** Builds the configuration or throws every problem found (parse problems included). */
    static StagingConfig assemble(Path file, RawIni raw, List<Problem> parseProblems) {
        return new ConfigAssembler(file, raw, parseProblems).run();
    }

    private StagingConfig run() {
        resolveDefaults();
        List<Section> sections = new ArrayList<>();
        Map<String, String> slack = new LinkedHashMap<>();
        for (RawIni.Sect s : raw.sections()) {
            if (s.name().equals(RawIni.SLACK)) {
                slack(s, slack);
            } else {
                sections.add(staging(s));
            }
        }
        if (sections.isEmpty()) {
            problems.add(new Problem(file, null, null, 0, "no staging section",
                    "add a section per database to restore, e.g. [foodb.dev] with backup_base_url and host"));
        }
        throwIfAny();
        warnings.sort(Comparator.comparingInt((ConfigWarning w) -> w.line() == 0 ? Integer.MAX_VALUE : w.line()));
        Map<String, String> defaults = new LinkedHashMap<>();
        for (RawIni.Option o : raw.defaults().options().values()) {
            defaults.put(o.name(), defaultsResolved.getOrDefault(o.name(), o.value()));
        }
        return new StagingConfig(file, raw, defaults, sections, warnings, slack);
    }

    /** [DEFAULT] on its own: values that do not need a section are checked here, once. */
    private void resolveDefaults() {
        RawIni.Sect d = raw.defaults();
        Interpolator interpolator = new Interpolator(rawValues(d.options()));
        for (RawIni.Option o : d.options().values()) {
            warnUnknown(RawIni.DEFAULT, o);
            try {
                defaultsResolved.put(o.name(), interpolator.resolve(o.name()));
            } catch (Interpolator.Failure f) {
                // Maybe every section defines what is missing: only sections can tell.
                defaultsFailure.put(o.name(), f.getMessage());
                continue;
            }
            checkValue(RawIni.DEFAULT, o, defaultsResolved.get(o.name()));
        }
    }

    private Section staging(RawIni.Sect s) {
        Map<String, RawIni.Option> merged = new LinkedHashMap<>(raw.defaults().options());
        merged.putAll(s.options());
        Map<String, String> visible = rawValues(merged);
        // %(dbname)s works even when dbname defaults to the section name, as Section.dbname() does.
        visible.putIfAbsent("dbname", new Section(s.name(), Map.of()).dbname().replace("%", "%%"));
        // Python's ConfigParser also knows %(__name__)s, the section's name.
        visible.putIfAbsent("__name__", s.name().replace("%", "%%"));
        Interpolator interpolator = new Interpolator(visible);
        Map<String, String> values = new LinkedHashMap<>();
        Set<Set<String>> loops = new HashSet<>();
        for (RawIni.Option o : merged.values()) {
            boolean inherited = !s.options().containsKey(o.name());
            String value;
            try {
                value = interpolator.resolve(o.name());
            } catch (Interpolator.Failure f) {
                // A loop is one mistake: report it once, not for each option on or leading to it.
                if (f.loop.isEmpty() || loops.add(f.loop)) interpolationProblem(s, o, inherited, f);
                continue;
            }
            values.put(o.name(), value);
            if (!inherited) warnUnknown(s.name(), o);
            boolean checkedInDefault = inherited && value.equals(defaultsResolved.get(o.name()));
            if (!checkedInDefault) checkValue(s.name(), o, value);
        }
        Section section = new Section(s.name(), values);
        for (OptionSpec spec : KnownOptions.specs()) {
            if (spec.required() && section.get(spec.name()).isEmpty() && !failed(values, merged, spec.name())) {
                problems.add(new Problem(file, s.name(), spec.name(), s.line(),
                        "missing required option '" + spec.name() + "'",
                        "add '" + spec.name() + " = ...' to [" + s.name() + "] or to [DEFAULT]"));
            }
        }
        singleTransactionWithJobs(s, section, merged);
        restoreOnTargetNeedsRemote(s, section, merged);
        if (section.get("dbname").isEmpty()) {
            ValueCheck.Issue issue = ValueCheck.dbname(section.dbname());
            if (issue != null) {
                problems.add(new Problem(file, s.name(), "dbname", s.line(),
                        issue.message() + " (taken from the section name)",
                        "set dbname explicitly in [" + s.name() + "]; " + issue.hint()));
            }
        }
        return section;
    }

    /** pg_restore refuses --single-transaction with several jobs: say so now, not mid-restore. */
    private void singleTransactionWithJobs(RawIni.Sect s, Section section, Map<String, RawIni.Option> merged) {
        boolean single;
        int jobs;
        try {
            single = section.pgRestoreSingleTransaction();
            jobs = section.restoreJobs();
        } catch (ConfigException alreadyReported) {
            return;
        }
        if (single && jobs > 1) {
            RawIni.Option o = merged.get("pg_restore_st");
            boolean own = s.options().containsKey("pg_restore_st");
            // Both from [DEFAULT]: one mistake there, reported once.
            boolean fromDefault = !own && !s.options().containsKey("restore_jobs");
            String where = fromDefault ? RawIni.DEFAULT : s.name();
            problems.add(new Problem(file, where, "pg_restore_st", own || fromDefault ? o.line() : s.line(),
                    "pg_restore_st = True cannot be combined with restore_jobs = " + jobs
                            + " (pg_restore refuses --single-transaction with parallel jobs)",
                    "set pg_restore_st = False or restore_jobs = 1 in [" + where + "]"));
        }
    }

    /** A restore runs on the target through pgstaging-client over SSH: a local server has no such thing. */
    private void restoreOnTargetNeedsRemote(RawIni.Sect s, Section section, Map<String, RawIni.Option> merged) {
        if (!"target".equals(section.restoreOn()) || section.remote()) return;
        RawIni.Option o = merged.get("restore_on");
        boolean own = s.options().containsKey("restore_on");
        problems.add(new Problem(file, s.name(), "restore_on", own ? o.line() : s.line(),
                "restore_on = target needs a remote server, and host = " + section.host() + " is this machine",
                "set restore_on = console for [" + s.name() + "], or give host (or ssh_host) the database server"));
    }

    /** True when the option exists but its interpolation failed (already reported). */
    private static boolean failed(Map<String, String> values, Map<String, RawIni.Option> merged, String option) {
        return merged.containsKey(option) && !values.containsKey(option);
    }

    private void interpolationProblem(RawIni.Sect s, RawIni.Option o, boolean inherited, Interpolator.Failure f) {
        if (inherited && f.getMessage().equals(defaultsFailure.get(o.name()))) {
            problems.add(new Problem(file, RawIni.DEFAULT, o.name(), o.line(), f.getMessage(), f.hint));
        } else {
            String from = inherited ? " (value from [DEFAULT] line " + o.line() + ")" : "";
            problems.add(new Problem(file, s.name(), o.name(), inherited ? s.line() : o.line(),
                    f.getMessage() + from, f.hint));
        }
    }

    private void checkValue(String section, RawIni.Option o, String value) {
        OptionSpec spec = KnownOptions.spec(o.name());
        if (spec == null || value.isBlank()) return;
        ValueCheck.Issue issue = ValueCheck.check(spec, value);
        if (issue != null) {
            problems.add(new Problem(file, section, o.name(), o.line(), issue.message(), issue.hint()));
        }
    }

    private void warnUnknown(String section, RawIni.Option o) {
        if (KnownOptions.acceptedInStaging(o.name())) return;
        String why;
        if (KnownOptions.slackOptions().contains(o.name())) {
            why = "is a [slack] option; move it to the [slack] section";
        } else {
            String mean = Suggestions.didYouMean(o.name(), KnownOptions.stagingOptions());
            why = "is not a pgstaging option and is ignored; "
                    + (mean.isEmpty() ? "see pgstaging.ini(5) for the list of options" : mean);
        }
        warnings.add(new ConfigWarning(file, section, o.name(), o.line(), "'" + o.name() + "' " + why));
    }

    /** [slack] keeps its own options verbatim: no [DEFAULT] values, no interpolation (tokens may hold %). */
    private void slack(RawIni.Sect s, Map<String, String> slack) {
        for (RawIni.Option o : s.options().values()) {
            slack.put(o.name(), o.value());
            if (o.name().equals(StateUrl.OPTION) && !o.value().isBlank()) checkStateUrl(o);
            if (KnownOptions.slackOptions().contains(o.name())) continue;
            String why;
            if (KnownOptions.acceptedInStaging(o.name())) {
                why = "is a staging option, not a [slack] one; put it in [DEFAULT] or a staging section";
            } else {
                String mean = Suggestions.didYouMean(o.name(), KnownOptions.slackOptions());
                why = "is not a [slack] option and is ignored; "
                        + (mean.isEmpty() ? "known: " + String.join(", ", KnownOptions.slackOptions()) : mean);
            }
            warnings.add(new ConfigWarning(file, RawIni.SLACK, o.name(), o.line(), "'" + o.name() + "' " + why));
        }
    }

    private void checkStateUrl(RawIni.Option o) {
        try {
            StateUrl.parse(o.value());
        } catch (StateUrl.Invalid e) {
            problems.add(new Problem(file, RawIni.SLACK, o.name(), o.line(), e.getMessage(), e.hint()));
        }
    }

    private static Map<String, String> rawValues(Map<String, RawIni.Option> options) {
        Map<String, String> m = new HashMap<>();
        for (RawIni.Option o : options.values()) m.put(o.name(), o.value());
        return m;
    }

    private void throwIfAny() {
        if (problems.isEmpty()) return;
        List<ConfigException> errors = problems.stream()
                .sorted(Comparator.comparingInt((Problem p) -> p.line() == 0 ? Integer.MAX_VALUE : p.line()))
                .map(Problem::toException)
                .toList();
        throw errors.size() == 1 ? errors.get(0) : new ConfigErrors(errors);
    }
}
