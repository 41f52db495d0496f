package org.pgstaging.testkit;

import org.slf4j.LoggerFactory;

/**
 * Without a logback configuration everything logs at DEBUG, and HttpClient's wire log then prints
 * every byte of every downloaded dump, slowing tests by seconds. Call {@link #quiet()} from a test
 * class that downloads; harmless once the project has a logback-test.xml.
 */
public final class HttpClientLogs {
    private HttpClientLogs() { }

    public static void quiet() {
        if (LoggerFactory.getLogger("org.apache.hc") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }
}
