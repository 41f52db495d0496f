package org.pgstaging.cli;

/** Descriptions of the parameters many commands share, so `help COMMAND` explains them the same way. */
final class ParamHelp {
    static final String SECTION = "A section of the configuration file, e.g. foodb.dev (see `pgstaging databases`).";
    static final String DATE = "YYYY-MM-DD, YYYYMMDD, today, latest or oldest; the default is in the description above.";

    private ParamHelp() { }
}
