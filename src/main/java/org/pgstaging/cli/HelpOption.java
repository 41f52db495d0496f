package org.pgstaging.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} on every command, without the --version that mixinStandardHelpOptions adds. */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this command's usage.")
    boolean help;
}
