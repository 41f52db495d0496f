package org.pgstaging.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgstaging.host.ClientProtocol;

/** pgstaging-client(8) documents every sub-command, its exit statuses and its settings file. */
class ClientManPageTest {
    @Test
    void everySubCommandExitStatusAndTheSettingsFile() throws IOException {
        String page;
        try (InputStream in = getClass().getResourceAsStream("/man/pgstaging-client.8")) {
            assertThat(in).isNotNull();
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(page).startsWith(".\\\" pgstaging-client(8)").contains(".TH PGSTAGING-CLIENT 8");
        for (String sub : List.of(ClientProtocol.VERSION, ClientProtocol.READ, ClientProtocol.CHECK, ClientProtocol.EDIT,
                ClientProtocol.SERVICE, ClientProtocol.RESTORE, ClientProtocol.RUNS)) {
            assertThat(page).as(sub).containsPattern("(?m)^\\.(B|BI|BR) \"?" + sub + "[ \"\\n]");
        }
        for (int status : new int[] {ClientProtocol.EXIT_OK, ClientProtocol.EXIT_FAILED, ClientProtocol.EXIT_USAGE,
                ClientProtocol.EXIT_VERSION}) {
            assertThat(page).containsPattern("(?m)^\\.TP\\n\\.B " + status + "\\n");
        }
        assertThat(page).contains("/etc/pgstaging/pgstaging\\-client.conf").contains("pgbouncer_dirs").contains("pgbouncer_unit")
                .contains("pgstaging ALL=(root) NOPASSWD: /usr/bin/pgstaging\\-client");
    }
}
