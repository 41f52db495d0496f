package org.pgstaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped manifests ask for exactly the scopes and events the code uses, and point at the paths
 * the bot serves. Read as text (no YAML library in the build): block lists under a key.
 */
class ManifestTest {
    static final Path DIR = Path.of("manifests");

    /** Items of the "- item" list right under {@code key:}. */
    static List<String> list(List<String> lines, String key) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(key + ":")) {
                for (int j = i + 1; j < lines.size() && lines.get(j).trim().startsWith("- "); j++) {
                    out.add(lines.get(j).trim().substring(2).trim());
                }
                return out;
            }
        }
        throw new AssertionError("no list '" + key + "'");
    }

    static List<String> read(String file) throws IOException {
        List<String> lines = Files.readAllLines(DIR.resolve(file));
        assertThat(lines).as(file + " has no tabs (YAML forbids them for indentation)").noneMatch(l -> l.contains("\t"));
        return lines;
    }

    @ParameterizedTest
    @ValueSource(strings = {"slack-app-manifest-socket.yaml", "slack-app-manifest-http.yaml"})
    void scopesAndEventsAreExactlyThoseUsed(String file) throws IOException {
        List<String> lines = read(file);
        assertThat(new TreeSet<>(list(lines, "bot"))).isEqualTo(SlackScopes.botScopes());
        assertThat(list(lines, "bot")).doesNotHaveDuplicates();
        assertThat(Set.copyOf(list(lines, "bot_events"))).isEqualTo(SlackScopes.EVENT_SCOPES.keySet());
        assertThat(lines).anyMatch(l -> l.trim().equals("- command: /pgstaging"));
        assertThat(lines).anyMatch(l -> l.trim().equals("is_enabled: true"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"slack-app-manifest-socket.yaml", "slack-app-manifest-http.yaml"})
    void theHomeTabAndTheShortcutTheBotServesAreDeclared(String file) throws IOException {
        List<String> lines = read(file);
        // views.publish answers not_enabled unless the app has a Home tab
        assertThat(SlackScopes.METHOD_SCOPES).containsKey("views.publish");
        assertThat(String.join("\n", lines)).contains("  app_home:\n    home_tab_enabled: true\n");
        // the one global shortcut is the one the bot listens to; it needs the commands scope, as the slash command does
        int shortcuts = lines.indexOf("  shortcuts:");
        assertThat(shortcuts).isPositive();
        assertThat(lines.subList(shortcuts + 1, shortcuts + 5)).containsExactly("    - name: Request a restore", "      type: global",
                "      callback_id: " + ActionIds.REQUEST_SHORTCUT,
                "      description: Pick a section and a backup, see what the restore leaves out, ask");
        assertThat(lines.get(shortcuts + 5)).doesNotStartWith("    - ");
        assertThat(list(lines, "bot")).contains("commands");
    }

    @Test
    void socketManifestHasNoUrlsHttpManifestPointsAtTheEventsPath() throws IOException {
        List<String> socket = read("slack-app-manifest-socket.yaml");
        assertThat(socket).anyMatch(l -> l.trim().equals("socket_mode_enabled: true")).noneMatch(l -> l.contains("url:"));
        List<String> http = read("slack-app-manifest-http.yaml");
        assertThat(http).anyMatch(l -> l.trim().equals("socket_mode_enabled: false"));
        List<String> urls = http.stream().filter(l -> l.trim().matches("(url|request_url): .*")).toList();
        assertThat(urls).hasSize(3).allMatch(l -> l.trim().endsWith(SlackHttpServer.EVENTS_PATH) && l.contains("https://"));
    }

    @Test
    void kubernetesProbesUseTheHealthPathAndSecretsStayInTheSecret() throws IOException {
        List<String> deployment = read("kubernetes/deployment.yaml");
        assertProbes(deployment);
        assertThat(deployment).anyMatch(l -> l.contains("secretRef: {name: pgstaging-slack}"));
        assertThat(String.join("\n", read("kubernetes/configmap.yaml"))).doesNotContain("xoxb-").doesNotContain("xapp-")
                .doesNotContain("signing_secret").contains("[slack]");
        assertThat(String.join("\n", read("kubernetes/secret.yaml"))).contains("SLACK_BOT_TOKEN").contains("SLACK_APP_TOKEN")
                .contains("SLACK_SIGNING_SECRET");
    }

    /**
     * Two replicas: the ConfigMap's ini loads and keeps its state on PostgreSQL, the Deployment runs
     * two pods rolling one at a time, the budget keeps one of them, probes check /healthz, and the
     * state database's password comes from its Secret.
     */
    @Test
    void replicasRunTwoPodsOnThePostgresStateWithABudgetAndProbes(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        List<String> config = read("kubernetes/replicas/configmap.yaml");
        int start = config.indexOf("  pgstaging.ini: |") + 1;
        Path ini = tmp.resolve("pgstaging.ini");
        Files.write(ini, config.subList(start, config.size()).stream().map(l -> l.length() >= 4 ? l.substring(4) : l).toList());
        org.pgstaging.config.StagingConfig loaded = org.pgstaging.config.ConfigLoader.load(ini);
        assertThat(loaded.stateUrl()).as("replicas share their state on PostgreSQL").isPresent();
        assertThat(String.join("\n", config)).doesNotContain("password=").doesNotContain("xoxb-");

        List<String> deployment = read("kubernetes/replicas/deployment.yaml");
        assertThat(deployment).anyMatch(l -> l.trim().equals("replicas: 2")).anyMatch(l -> l.contains("type: RollingUpdate"))
                .anyMatch(l -> l.contains("name: pgstaging-config-replicas")).anyMatch(l -> l.contains("PGPASSFILE"))
                .noneMatch(l -> l.contains("persistentVolumeClaim"));
        assertProbes(deployment);
        String labels = "matchLabels: {app.kubernetes.io/name: pgstaging, app.kubernetes.io/component: bot-replicas}";
        assertThat(deployment).anyMatch(l -> l.contains(labels));
        List<String> pdb = read("kubernetes/replicas/pdb.yaml");
        assertThat(pdb).anyMatch(l -> l.contains("kind: PodDisruptionBudget")).anyMatch(l -> l.trim().equals("minAvailable: 1"))
                .anyMatch(l -> l.contains(labels));
        assertThat(String.join("\n", read("kubernetes/replicas/secret-state.yaml"))).contains("pgpass:");
    }

    /** Readiness asks /readyz (state and Slack in reach), liveness /healthz (the process runs). */
    private static void assertProbes(List<String> deployment) {
        assertThat(deployment.stream().filter(l -> l.contains("httpGet:")).toList()).hasSize(2);
        String text = String.join("\n", deployment);
        assertThat(text).contains("readinessProbe:\n            httpGet: {path: " + Probes.READY_PATH + ", port: metrics}")
                .contains("livenessProbe:\n            httpGet: {path: " + SlackHttpServer.HEALTH_PATH + ", port: metrics}");
    }

    @Test
    void systemdUnitRunsAsPgstagingHardened() throws IOException {
        List<String> unit = Files.readAllLines(DIR.resolve("systemd/pgstaging-bot.service"));
        assertThat(unit).contains("User=pgstaging", "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
                "EnvironmentFile=/etc/pgstaging/slack.env");
        assertThat(unit).noneMatch(l -> l.startsWith("Environment=SLACK_"));
    }

    @Test
    void everyMethodTheBotCallsHasItsScopeListed() {
        // The HTTP and Socket Mode tests record the calls; here the declared map must cover what the code uses.
        assertThat(SlackScopes.METHOD_SCOPES).containsKeys("chat.postMessage", "chat.update", "chat.postEphemeral",
                "views.open", "views.update", "views.publish", "users.info", "usergroups.users.list", "auth.test", "bots.info");
        assertThat(SlackScopes.botScopes()).containsExactlyInAnyOrder("commands", "chat:write", "channels:history",
                "groups:history", "usergroups:read", "users:read");
    }
}
