package org.pgstaging.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvRowsTest {

    @Test
    void readsQuotedFieldsEmbeddedCommasQuotesAndLineBreaks() {
        String csv = "name,host,note\nfoo,,plain\n\"a,b\",h,\"say \"\"hi\"\"\nsecond line\"\n";
        List<Map<String, String>> rows = CsvRows.parse(csv);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(entry("name", "foo"), entry("host", ""), entry("note", "plain"));
        assertThat(rows.get(1)).containsExactly(entry("name", "a,b"), entry("host", "h"),
                entry("note", "say \"hi\"\nsecond line"));
    }

    @Test
    void emptyOutputHasNoRowsAndShortRecordsAreFilled() {
        assertThat(CsvRows.parse("")).isEmpty();
        assertThat(CsvRows.parse("a,b\r\n1\r\n")).containsExactly(Map.of("a", "1", "b", ""));
    }

    @Test
    void consoleNamesAreAlwaysDoubleQuoted() {
        assertThat(PgbouncerConsole.quoteName("Foo-1")).isEqualTo("\"Foo-1\"");
        assertThat(PgbouncerConsole.quoteName("a\"b")).isEqualTo("\"a\"\"b\"");
    }
}
