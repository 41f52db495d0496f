package org.pgstaging.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log level from the command line: WARN by default (logback.xml), INFO with -v, DEBUG with
 * --debug. Only pgstaging's own loggers are raised: third-party DEBUG (HTTP headers, Slack
 * payloads) could print credentials.
 */
final class Logging {
    private Logging() {}

    static void verbose(boolean verbose, boolean debug) {
        if (LoggerFactory.getLogger("org.pgstaging") instanceof Logger own) {
            own.setLevel(debug ? Level.DEBUG : verbose ? Level.INFO : null);
        }
    }
}
