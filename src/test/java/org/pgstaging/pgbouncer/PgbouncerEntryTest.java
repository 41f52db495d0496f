package org.pgstaging.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgbouncerEntryTest {

    @Test
    void parsesPairsInOrderWithQuotedValues() {
        PgbouncerEntry e = PgbouncerEntry.parse("  dbname=foodb_20261124 host=127.0.0.1   port = 5432 "
                + "application_name='my app' connect_query='select ''x'''");
        assertThat(e.params()).containsExactly(entry("dbname", "foodb_20261124"), entry("host", "127.0.0.1"),
                entry("port", "5432"), entry("application_name", "my app"), entry("connect_query", "select 'x'"));
        assertThat(e.databaseFor("alias")).isEqualTo("foodb_20261124");
    }

    @Test
    void emptyConnectionStringMeansTheEntryName() {
        PgbouncerEntry e = PgbouncerEntry.parse("   ");
        assertThat(e.params()).isEmpty();
        assertThat(e.databaseFor("foodb")).isEqualTo("foodb");
        assertThat(e.format()).isEmpty();
    }

    @Test
    void formatQuotesOnlyWhatNeedsIt() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dbname", "a b");
        p.put("host", "db1.example.com");
        p.put("port", "5432");
        p.put("user", "it's");
        p.put("password", "");
        String s = PgbouncerEntry.of(p).format();
        assertThat(s).isEqualTo("dbname='a b' host=db1.example.com port=5432 user='it''s' password=''");
        assertThat(PgbouncerEntry.parse(s).params()).isEqualTo(p);
    }

    @Test
    void withReplacesInPlaceOrAppends() {
        PgbouncerEntry e = PgbouncerEntry.parse("dbname=a port=1").with("dbname", "b").with("host", "h");
        assertThat(e.format()).isEqualTo("dbname=b port=1 host=h");
    }

    @Test
    void badSyntaxIsAClearErrorThatHidesPasswords() {
        assertThatThrownBy(() -> PgbouncerEntry.parse("dbname=x password='s3cret"))
                .isInstanceOf(PgbouncerException.class)
                .hasMessageContaining("no closing quote")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> PgbouncerEntry.parse("dbname=x justaword password=s3cret"))
                .isInstanceOf(PgbouncerException.class)
                .hasMessageContaining("expected key=value")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> PgbouncerEntry.parse("=x"))
                .isInstanceOf(PgbouncerException.class);
    }

    @Test
    void toStringMasksPasswords() {
        assertThat(PgbouncerEntry.parse("dbname=x password='p w' user=u").toString())
                .isEqualTo("dbname=x password=*** user=u");
    }
}
