package org.pgstaging.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

/**
 * Log level from the command line: WARN by default (logback.xml), INFO with -v, DEBUG with
 * --debug. Only pgstaging's own loggers are raised: third-party DEBUG (HTTP headers, Slack
 * payloads) could print credentials. The bot may switch stderr to JSON lines ({@link #json()}).
 */
final class Logging {
    private Logging() {}

    static void verbose(boolean verbose, boolean debug) {
        if (LoggerFactory.getLogger("org.pgstaging") instanceof Logger own) {
            own.setLevel(debug ? Level.DEBUG : verbose ? Level.INFO : null);
        }
    }

    /**
     * One JSON object per line on stderr from now on, and pgstaging's own INFO lines (unless -v or
     * --debug chose): JSON goes to a log collector, where a service's INFO lines are what one reads.
     * Does nothing when a {@code -Dlogback.configurationFile} replaced {@link StderrLogConfigurator}.
     */
    static void json() {
        if (!(LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof Logger root)) return;
        Appender<ILoggingEvent> appender = root.getAppender(StderrLogConfigurator.APPENDER);
        if (!(appender instanceof OutputStreamAppender<ILoggingEvent> stderr)) return;
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(root.getLoggerContext());
        encoder.start();
        stderr.setEncoder(encoder);
        if (LoggerFactory.getLogger("org.pgstaging") instanceof Logger own && own.getLevel() == null) {
            own.setLevel(Level.INFO);
        }
    }
}
