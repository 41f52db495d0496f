package org.pgstaging.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgbouncerIniTest {

    /** Shaped like Debian's default file, plus odd spacing, an include and a second-to-last commented entry. */
    private static final String DEBIAN_LIKE = String.join("\n",
            ";;;",
            ";;; PgBouncer configuration file",
            ";;;",
            "[databases]",
            "",
            ";; foodb over Unix socket",
            ";foodb =",
            "foodb   =  host=127.0.0.1 dbname=foodb_20261120   ",
            "\t\"odd name\"=dbname=odd",
            "bare =",
            ";bardb = host=localhost dbname=bazdb",
            "",
            ";; User-specific configuration",
            "[users]",
            "",
            ";user1 = pool_mode=transaction max_user_connections=10",
            "",
            "[pgbouncer]",
            "listen_port = 6432",
            "%include /etc/pgbouncer/extra.ini",
            "");

    @Test
    void readsDatabasesIncludingQuotedAndEmptyOnes() {
        PgbouncerIni ini = PgbouncerIni.parse(DEBIAN_LIKE);
        assertThat(ini.databases()).containsExactly(entry("foodb", "host=127.0.0.1 dbname=foodb_20261120"),
                entry("odd name", "dbname=odd"), entry("bare", ""));
        assertThat(ini.includes()).containsExactly("/etc/pgbouncer/extra.ini");
        assertThat(ini.render()).isEqualTo(DEBIAN_LIKE);
    }

    @Test
    void replacingAnEntryTouchesOnlyItsLine() {
        String out = PgbouncerIni.parse(DEBIAN_LIKE).withDatabase("foodb", "dbname=foodb_20261124 port=5432").render();
        assertThat(diff(DEBIAN_LIKE, out)).containsExactly(
                "-foodb   =  host=127.0.0.1 dbname=foodb_20261120   ", "+foodb = dbname=foodb_20261124 port=5432");
    }

    @Test
    void addedEntryGoesAfterTheLastEntryOfTheSection() {
        String out = PgbouncerIni.parse(DEBIAN_LIKE).withDatabase("foodb_20261124", "dbname=foodb_20261124").render();
        List<String> lines = Arrays.asList(out.split("\n", -1));
        assertThat(lines.indexOf("foodb_20261124 = dbname=foodb_20261124")).isEqualTo(lines.indexOf("bare =") + 1);
        assertThat(lines).hasSize(DEBIAN_LIKE.split("\n", -1).length + 1);
        assertThat(PgbouncerIni.parse(out).withoutDatabase("foodb_20261124").render()).isEqualTo(DEBIAN_LIKE);
    }

    @Test
    void inASectionWithoutEntriesTheNewLineSkipsTrailingBlanksAndTheNextSectionsComment() {
        String text = "[databases]\n\n;; examples\n;foodb =\n\n;; User-specific configuration\n[users]\n";
        String out = PgbouncerIni.parse(text).withDatabase("a", "dbname=a").render();
        assertThat(out).isEqualTo(
                "[databases]\n\n;; examples\n;foodb =\na = dbname=a\n\n;; User-specific configuration\n[users]\n");
    }

    @Test
    void namesAreQuotedOnlyWhenNeeded() {
        String out = PgbouncerIni.parse("[databases]\n").withDatabase("my \"db\"", "dbname='my db'")
                .withDatabase("Foo-1.x", "").render();
        assertThat(out).isEqualTo("[databases]\n\"my \"\"db\"\"\" = dbname='my db'\nFoo-1.x = \n");
        assertThat(PgbouncerIni.parse(out).databases()).containsExactly(
                entry("my \"db\"", "dbname='my db'"), entry("Foo-1.x", ""));
        assertThat(PgbouncerIni.isBareName("foo_bar.1-2")).isTrue();
        assertThat(PgbouncerIni.isBareName("foo bar")).isFalse();
    }

    @Test
    void removingDropsEveryDefinitionAndOnlyThose() {
        String text = "[databases]\na = dbname=x\nb = dbname=y\n[pgbouncer]\na = not a database\n[databases]\na = dbname=z\n";
        PgbouncerIni ini = PgbouncerIni.parse(text);
        assertThat(ini.databases()).containsExactly(entry("a", "dbname=z"), entry("b", "dbname=y"));
        assertThat(ini.withoutDatabase("a").render())
                .isEqualTo("[databases]\nb = dbname=y\n[pgbouncer]\na = not a database\n[databases]\n");
        assertThat(ini.withoutDatabase("nope")).isSameAs(ini);
        // the last definition is the one pgbouncer uses, so that is the one replaced
        assertThat(ini.withDatabase("a", "dbname=w").render()).isEqualTo(
                "[databases]\na = dbname=x\nb = dbname=y\n[pgbouncer]\na = not a database\n[databases]\na = dbname=w\n");
    }

    @Test
    void withoutADatabasesSectionOneIsAppended() {
        String text = "; only settings\r\n[pgbouncer]\r\nlisten_port = 6432";
        PgbouncerIni ini = PgbouncerIni.parse(text);
        assertThat(ini.hasDatabasesSection()).isFalse();
        String out = ini.withDatabase("a", "dbname=a").render();
        assertThat(out).isEqualTo("; only settings\r\n[pgbouncer]\r\nlisten_port = 6432\r\n\r\n[databases]\r\na = dbname=a\r\n");
        assertThat(PgbouncerIni.parse("").withDatabase("a", "").render()).isEqualTo("[databases]\na = \n");
    }

    @Test
    void crlfAndMissingFinalNewlineArePreserved() {
        String text = "[databases]\r\na = dbname=x\r\n[pgbouncer]\r\nx = 1";
        assertThat(PgbouncerIni.parse(text).withDatabase("a", "dbname=y").render())
                .isEqualTo("[databases]\r\na = dbname=y\r\n[pgbouncer]\r\nx = 1");
        assertThat(PgbouncerIni.parse(text).withDatabase("b", "dbname=b").render())
                .isEqualTo("[databases]\r\na = dbname=x\r\nb = dbname=b\r\n[pgbouncer]\r\nx = 1");
        assertThat(PgbouncerIni.parse("[databases]\na = dbname=x").withDatabase("b", "").render())
                .isEqualTo("[databases]\na = dbname=x\nb = \n");
    }

    @Test
    void badInputIsRefusedWithWhereAndHow() {
        assertThatThrownBy(() -> PgbouncerIni.parse("[databases]\nok = dbname=x\nbroken line\n"))
                .isInstanceOf(PgbouncerException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> PgbouncerIni.parse("[databases]\n\"unterminated = dbname=x\n"))
                .isInstanceOf(PgbouncerException.class).hasMessageContaining("closing double quote");
        PgbouncerIni ini = PgbouncerIni.parse("[databases]\n");
        assertThatThrownBy(() -> ini.withDatabase("a\nb", "")).isInstanceOf(PgbouncerException.class)
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> ini.withDatabase("", "")).isInstanceOf(PgbouncerException.class);
        assertThatThrownBy(() -> ini.withDatabase("a", "dbname='x")).isInstanceOf(PgbouncerException.class);
        assertThatThrownBy(() -> ini.withDatabase("a".repeat(64), "")).isInstanceOf(PgbouncerException.class)
                .hasMessageContaining("63");
        // lines outside [databases] are never interpreted, however odd
        assertThat(PgbouncerIni.parse("[pgbouncer]\nwhatever line\n").databases()).isEmpty();
    }

    /** Minimal line diff for same-length edits: "-old" / "+new" pairs. */
    private static List<String> diff(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        assertThat(b).hasSameSizeAs(a);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (!a[i].equals(b[i])) {
                result.add("-" + a[i]);
                result.add("+" + b[i]);
            }
        }
        return result;
    }
}
