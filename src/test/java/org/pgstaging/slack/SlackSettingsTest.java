package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pgstaging.config.ConfigException;

class SlackSettingsTest {
    static final String BOT = "xoxb-1234-5678-abcdefSECRETbot";
    static final String APP = "xapp-1-A0PG-1234-SECRETappvalue";
    static final String SIGNING = "0123456789abcdefSECRETsigning00";

    static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("bot_token", BOT);
        m.put("app_token", APP);
        m.put("approvers", "U0CAROL, S0DBAS");
        return m;
    }

    @Test
    void defaults() {
        SlackSettings s = new SlackSettings(base(), Map.of());
        assertThat(s.mode()).isEqualTo(SlackSettings.Mode.SOCKET);
        assertThat(s.httpPort()).isEqualTo(3000);
        assertThat(s.command()).isEqualTo("/pgstaging");
        assertThat(s.apiUrl()).isEqualTo("https://slack.com/api/");
        assertThat(s.selfApproval()).isFalse();
        assertThat(s.stallMinutes()).isEqualTo(10);
        assertThat(s.approverUsers()).containsExactly("U0CAROL");
        assertThat(s.approverGroups()).containsExactly("S0DBAS");
        assertThat(s.channels()).isEmpty();
    }

    @Test
    void metricsPortAndLogFormat() {
        SlackSettings plain = new SlackSettings(base(), Map.of());
        assertThat(plain.metricsPort()).isEmpty();
        assertThat(plain.logFormat()).isEqualTo(SlackSettings.LogFormat.TEXT);
        Map<String, String> m = base();
        m.put("metrics_port", "9464");
        m.put("log_format", "JSON");
        SlackSettings set = new SlackSettings(m, Map.of());
        assertThat(set.metricsPort()).hasValue(9464);
        assertThat(set.logFormat()).isEqualTo(SlackSettings.LogFormat.JSON);
        assertThat(set.toString()).contains("metrics_port=9464").contains("log_format=json");

        m.put("metrics_port", "70000");
        assertThatThrownBy(() -> new SlackSettings(m, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("port 70000 is out of range");
        m.put("metrics_port", "3000");
        m.put("mode", "http");
        m.put("signing_secret", SIGNING);
        assertThatThrownBy(() -> new SlackSettings(m, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is http_port");
        m.put("metrics_port", "9464");
        m.put("log_format", "xml");
        assertThatThrownBy(() -> new SlackSettings(m, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'xml' is not a log format");
    }

    @Test
    void tokensComeFromTheEnvironmentWhenNotInTheFile() {
        Map<String, String> m = base();
        m.remove("bot_token");
        m.remove("app_token");
        SlackSettings s = new SlackSettings(m, Map.of("SLACK_BOT_TOKEN", BOT, "SLACK_APP_TOKEN", APP, "SLACK_SIGNING_SECRET", SIGNING));
        assertThat(s.botToken()).isEqualTo(BOT);
        assertThat(s.appToken()).isEqualTo(APP);
        assertThat(s.signingSecret()).isEqualTo(SIGNING);
        m.put("bot_token", "xoxb-from-file-000");
        assertThat(new SlackSettings(m, Map.of("SLACK_BOT_TOKEN", BOT, "SLACK_APP_TOKEN", APP)).botToken()).isEqualTo("xoxb-from-file-000");
    }

    @Test
    void toStringHidesSecrets() {
        Map<String, String> m = base();
        m.put("signing_secret", SIGNING);
        m.put("state_url", "jdbc:postgresql://state.example/pgstaging?user=bot&password=SECRETpassword");
        String text = new SlackSettings(m, Map.of()).toString();
        assertThat(text).doesNotContain("SECRET").contains("xoxb-****").contains("xapp-****").contains("signing_secret=set")
                .contains("state_url=jdbc:postgresql://state.example/pgstaging?user=bot&password=****");
        m.put("state_url", "jdbc:h2:/var/lib/pgstaging/state");
        assertThatThrownBy(() -> new SlackSettings(m, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[slack] state_url").hasMessageContaining("only jdbc:postgresql: is accepted");
    }

    @Test
    void httpModeNeedsTheSigningSecret() {
        Map<String, String> m = base();
        m.put("mode", "http");
        assertThatThrownBy(() -> new SlackSettings(m, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[slack] signing_secret").hasMessageContaining("http mode needs the signing secret")
                .satisfies(e -> assertThat(((ConfigException) e).hint()).contains("SLACK_SIGNING_SECRET"));
        m.put("signing_secret", SIGNING);
        m.remove("app_token");
        assertThat(new SlackSettings(m, Map.of()).appToken()).isNull();
    }

    @Test
    void socketModeNeedsAnAppToken() {
        Map<String, String> m = base();
        m.remove("app_token");
        assertThatThrownBy(() -> new SlackSettings(m, Map.of())).hasMessageContaining("app_token")
                .hasMessageContaining("socket mode needs an app-level token");
        m.put("app_token", BOT);
        assertThatThrownBy(() -> new SlackSettings(m, Map.of())).hasMessageContaining("does not start with xapp-");
    }

    @Test
    void tokenFormatsAreChecked() {
        Map<String, String> m = base();
        m.put("bot_token", "xoxp-user-token");
        assertThatThrownBy(() -> new SlackSettings(m, Map.of())).hasMessageContaining("bot_token").hasMessageContaining("xoxb-");
        m.remove("bot_token");
        assertThatThrownBy(() -> new SlackSettings(m, Map.of())).hasMessageContaining("no bot token");
    }

    @Test
    void badValuesAreNamed() {
        assertRejected("mode", "websocket", "is not a mode");
        assertRejected("http_port", "70000", "out of range");
        assertRejected("http_port", "eighty", "not an integer");
        assertRejected("command", "pgstaging", "not a slash command");
        assertRejected("channels", "#staging", "not a valid ID");
        assertRejected("requesters", "alice", "not a valid ID");
        assertRejected("approvers", "", "nobody could approve");
        assertRejected("approval_channel", "approvals", "not a channel ID");
        assertRejected("self_approval", "maybe", "not a boolean");
        assertRejected("api_url", "ftp://slack.example/", "not an http(s) URL");
        assertRejected("stall_minutes", "0", "at least 1");
        assertRejected("bot_tokn", "x", "unknown option 'bot_tokn'");
    }

    private static void assertRejected(String option, String value, String message) {
        Map<String, String> m = base();
        m.put(option, value);
        assertThatThrownBy(() -> new SlackSettings(m, Map.of())).as(option + " = " + value)
                .isInstanceOf(ConfigException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((ConfigException) e).section()).isEqualTo("slack"));
    }
}
