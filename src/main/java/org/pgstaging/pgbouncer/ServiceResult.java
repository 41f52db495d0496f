package org.pgstaging.pgbouncer;

import java.util.List;

/**
 * What systemctl said. For {@link ServiceAction#STATUS} the exit code is the answer (systemctl follows LSB:
 * 0 running, 3 not running, 4 no such unit), so it is returned rather than thrown.
 */
public record ServiceResult(ServiceAction action, List<String> command, int exitCode, List<String> output) {
    public boolean ok() {
        return exitCode == 0;
    }
}
