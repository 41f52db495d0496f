package org.pgstaging.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** pgstaging(1) documents every command, the exit codes, the environment and the files. */
class ManPageTest {
    static String page() throws IOException {
        try (InputStream in = ManPageTest.class.getResourceAsStream("/man/pgstaging.1")) {
            assertThat(in).as("man page on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyCommandHasAnEntry() throws IOException {
        String page = page();
        for (String name : CommandRegistry.names()) {
            // entries are .TP/.TQ items starting with the bold command name
            assertThat(page).as(name).containsPattern("(?m)^\\.(BI|BR|B) \"?" + name + "[ \"\\n]");
        }
    }

    @Test
    void exitCodesEnvironmentFilesAndSeeAlso() throws IOException {
        String page = page();
        assertThat(page).contains(".SH EXIT STATUS").contains(".SH ENVIRONMENT").contains(".SH FILES")
                .contains("PGSTAGING_CONFIG").contains("/etc/pgstaging/pgstaging.ini").contains("~/.pgstaging_history")
                .contains(".BR pgstaging.ini (5)");
        for (int code : new int[] {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.USAGE, ExitCodes.CONFIG, ExitCodes.BUSY,
                ExitCodes.INTERRUPTED}) {
            assertThat(page).containsPattern("(?m)^\\.TP\\n\\.B " + code + "\\n");
        }
        assertThat(page).startsWith(".\\\" pgstaging(1)").contains(".TH PGSTAGING 1");
    }
}
