package org.pgstaging.cli;

import java.util.List;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/** Whether standard input is a terminal (Java 17's System.console() needs stdout too). */
final class Terminals {
    private Terminals() {}

    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    static boolean stdinIsTerminal() {
        if (System.console() != null) return true;
        for (String provider : List.of("jni", "exec")) {
            try {
                return TerminalProvider.load(provider).isSystemStream(SystemStream.Input);
            } catch (Throwable e) {
                // provider unavailable on this platform: try the next one
            }
        }
        return false;
    }
}
