package org.pgstaging.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pgstaging.config.Section;

class CatalogFilterTest {
    static final FilterRules RULES = new FilterRules(List.of("app", "Sales Data"), List.of("audit"),
            Optional.of(Pattern.compile("_log$|^app\\.sessions$")));

    static CatalogEntry e(int id, String desc, String ns, String tag, int... deps) {
        return new CatalogEntry(id, 0, id, desc, ns, tag, "owner", null, deps);
    }

    static CatalogEntry trigger(int id, String ns, String tag, String defn, int... deps) {
        return new CatalogEntry(id, 2620, id, "TRIGGER", ns, tag, "owner", defn, deps);
    }

    record Result(FilterSummary summary, List<String> kept, List<String> dropped) {}

    static Result run(FilterRules rules, List<CatalogEntry> entries) {
        StringWriter out = new StringWriter();
        FilterSummary s = new CatalogFilter(rules).filter(entries.iterator(), out);
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (line.startsWith(";")) dropped.add(line.substring(1, line.indexOf(';', 1)));
            else kept.add(line.substring(0, line.indexOf(';')));
        }
        return new Result(s, kept, dropped);
    }

    @Test
    void keepsListedAndNodataSchemasAndDropsTheRestWithTheirSchemaCommentsAndAcls() {
        Result r = run(RULES, List.of(
                e(1, "SCHEMA", null, "app"),
                e(2, "SCHEMA", null, "pgq"),
                e(3, "COMMENT", null, "SCHEMA pgq", 2),
                e(4, "ACL", null, "SCHEMA pgq"),                  // no dependency (text): found by its tag
                e(5, "COMMENT", null, "SCHEMA \"Sales Data\""),   // quoted in tags
                e(6, "SCHEMA", null, "audit"),
                e(7, "TABLE", "pgq", "event", 2),
                e(8, "COMMENT", "pgq", "TABLE event", 7),
                e(9, "TABLE", "app", "customers", 1),
                e(10, "ACL", "app", "TABLE customers", 9),
                e(11, "EXTENSION", null, "pg_trgm"),
                e(12, "CAST", null, "CAST (text AS app.thing)"),
                e(13, "TABLE", "audit", "changes", 6),
                e(14, "DEFAULT ACL", "pgq", "DEFAULT PRIVILEGES FOR TABLES"),
                e(15, "SEQUENCE SET", "pgq", "event_id_seq"),
                e(16, "SCHEMA", null, "Sales Data"),
                e(17, "TABLE", "pg_catalog", "builtin")));
        assertThat(r.dropped()).containsExactly("2", "3", "4", "7", "8", "14", "15");
        assertThat(r.kept()).containsExactly("1", "5", "6", "9", "10", "11", "12", "13", "16", "17");
        assertThat(r.summary().excludedSchemas()).containsExactly("pgq");
        assertThat(r.summary().total()).isEqualTo(17);
        assertThat(r.summary().kept()).isEqualTo(10);
        assertThat(r.summary().filteredOut()).isEqualTo(7);
    }

    @Test
    void dropsDataOfNodataSchemasAndOfTablesTheRegexpFindsButKeepsSequenceValues() {
        Result r = run(RULES, List.of(
                e(1, "TABLE DATA", "audit", "changes"),
                e(2, "TABLE DATA", "app", "event_log"),
                e(3, "TABLE DATA", "app", "sessions"),
                e(4, "TABLE DATA", "app", "sessions_archive"),
                e(5, "TABLE DATA", "Sales Data", "Order \"Items\""),
                e(6, "SEQUENCE SET", "audit", "changes_id_seq"),
                e(7, "TABLE", "audit", "changes"),
                e(8, "TABLE DATA", "app", "log_book"),           // _log$ is not anchored at the start...
                e(9, "TABLE DATA", "app", "audit_log_2024"),     // ...but is at the end
                e(10, "MATERIALIZED VIEW DATA", "audit", "summary")));
        assertThat(r.dropped()).containsExactly("1", "2", "3");
        assertThat(r.summary().nodataTables()).containsExactly("audit.changes", "app.event_log", "app.sessions");
    }

    @Test
    void regexpIsMatchedUnanchoredLikePgStaging() {
        FilterRules rules = new FilterRules(List.of(), List.of(), Optional.of(Pattern.compile("log")));
        Result r = run(rules, List.of(
                e(1, "TABLE DATA", "app", "event_log"),
                e(2, "TABLE DATA", "catalogue", "items"),   // "log" found inside the schema name
                e(3, "TABLE DATA", "app", "customers")));
        assertThat(r.dropped()).containsExactly("1", "2");
    }

    @Test
    void withoutSchemasEverySchemaStaysAndNodataSchemasOnlyLoseData() {
        FilterRules rules = new FilterRules(List.of(), List.of("audit"), Optional.empty());
        Result r = run(rules, List.of(
                e(1, "SCHEMA", null, "pgq"),
                e(2, "FUNCTION", "pgq", "logtriga()"),
                trigger(3, "billing", "invoices r", "CREATE TRIGGER r AFTER INSERT ON billing.invoices FOR EACH ROW "
                        + "EXECUTE FUNCTION pgq.logtriga();", 2),
                e(4, "TABLE DATA", "audit", "changes")));
        assertThat(r.dropped()).containsExactly("4");
        assertThat(r.summary().excludedSchemas()).isEmpty();
        assertThat(FilterRules.none().keepsEverything()).isTrue();
    }

    @Test
    void dropsTriggersCallingFunctionsOfExcludedSchemasFromDefinitionOrDependencies() {
        Result r = run(RULES, List.of(
                e(1, "FUNCTION", "pgq", "logtriga()"),
                e(2, "FUNCTION", "app", "set_updated_at()"),
                trigger(3, "app", "customers replicate", "CREATE TRIGGER replicate AFTER INSERT ON app.customers "
                        + "FOR EACH ROW EXECUTE FUNCTION pgq.logtriga('x');", 1),
                trigger(4, "app", "customers touch", "CREATE TRIGGER touch BEFORE UPDATE ON app.customers "
                        + "FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();", 2),
                trigger(5, "app", "customers by_dep", null, 9, 1),   // no definition: its dependency tells
                trigger(6, "app", "customers plain", null, 2),
                trigger(7, "Sales Data", "Order \"Items\" touch", "CREATE TRIGGER touch BEFORE UPDATE ON "
                        + "\"Sales Data\".\"Order \"\"Items\"\"\" FOR EACH ROW EXECUTE FUNCTION \"Sales Data\".\"touch updated\"();"),
                trigger(8, "app", "customers builtin", "CREATE TRIGGER builtin BEFORE UPDATE ON app.customers "
                        + "FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();"),
                e(9, "COMMENT", "app", "TRIGGER replicate ON customers", 3)));
        assertThat(r.dropped()).containsExactly("1", "3", "5", "9");
        assertThat(r.summary().droppedTriggers()).containsExactly(
                "app.customers.replicate -> pgq.logtriga",
                "app.customers by_dep -> (a function of an excluded schema)");
    }

    @Test
    void entriesNeedingLeftOutOnesGoTooThroughAnyChainAndSayWhy() {
        Result r = run(RULES, List.of(
                e(1, "SCHEMA", null, "pgq"),
                e(2, "TABLE", "pgq", "event", 1),
                e(3, "VIEW", "app", "recent_events", 2),
                e(4, "TABLE", "app", "customers"),
                e(5, "VIEW", "app", "customer_names", 4),
                e(6, "VIEW", "app", "recent_names", 3, 5),          // through another view
                e(7, "ACL", "app", "TABLE recent_names", 6),         // follows its object
                e(8, "TYPE", "pgq", "ticket", 1),
                e(9, "CAST", null, "CAST (pgq.ticket AS text)", 8),
                e(10, "FUNCTION", "pgq", "on_ddl()", 1),
                e(11, "EVENT TRIGGER", null, "ddl_watch", 10),
                e(12, "COMMENT", null, "EVENT TRIGGER ddl_watch", 11),
                e(13, "FK CONSTRAINT", "app", "customers customers_event_fkey", 4, 2)));
        assertThat(r.kept()).containsExactly("4", "5");
        assertThat(r.summary().dependencyDrops()).containsExactly(
                "VIEW app.recent_events needs TABLE pgq.event",
                "VIEW app.recent_names needs VIEW app.recent_events",
                "CAST CAST (pgq.ticket AS text) needs TYPE pgq.ticket",
                "EVENT TRIGGER ddl_watch needs FUNCTION pgq.on_ddl()",
                "FK CONSTRAINT app.customers customers_event_fkey needs TABLE pgq.event");
        assertThat(r.summary().conflicts()).isEmpty();
    }

    @Test
    void entriesHoldingDataAreNeverDroppedSilentlyButReportedAsConflicts() {
        Result r = run(RULES, List.of(
                e(1, "SCHEMA", null, "pgq"),
                e(2, "TYPE", "pgq", "ticket", 1),
                e(3, "DOMAIN", "app", "ticket_d", 2),
                e(4, "TABLE", "app", "tickets", 3),                   // a column of a left-out type, through a domain
                e(5, "TABLE DATA", "app", "tickets", 4),
                e(6, "TABLE", "pgq", "parent", 1),
                e(7, "TABLE", "app", "child", 6)));                   // a partition of a left-out parent
        assertThat(r.kept()).containsExactly("4", "5", "7");
        assertThat(r.summary().conflicts()).containsExactly(
                "TABLE app.tickets needs DOMAIN app.ticket_d (schema pgq is not restored)",
                "TABLE app.child needs TABLE pgq.parent (schema pgq is not restored)");
        assertThat(r.summary().conflictSchemas()).containsExactly("pgq");
        assertThat(r.summary().hasConflicts()).isTrue();
    }

    @Test
    void foreignServersOfLeftOutWrappersGoWithTheirUserMappingsAndThePublicSchemaIsNeverNeeded() {
        CatalogEntry fdw = new CatalogEntry(2, 3079, 2, "EXTENSION", null, "postgres_fdw", "",
                "CREATE EXTENSION IF NOT EXISTS postgres_fdw WITH SCHEMA pgq;", new int[] {1});
        Result r = run(RULES, List.of(
                e(1, "SCHEMA", null, "pgq"),
                fdw,
                e(3, "SERVER", null, "remote one", 2, 1),
                e(4, "USER MAPPING", null, "USER MAPPING postgres SERVER remote one"),   // no dependencies in archives
                e(5, "USER MAPPING", null, "USER MAPPING postgres SERVER kept"),
                e(6, "SCHEMA", null, "public"),
                e(7, "TABLE", "app", "t", 6)));
        assertThat(r.dropped()).containsExactly("1", "2", "3", "4", "6");
        assertThat(r.summary().conflicts()).isEmpty();
    }

    @Test
    void foreignKeysFromTablesWithDataToTablesWithoutGo() {
        Result r = run(RULES, List.of(
                e(1, "TABLE", "app", "orders"),
                e(2, "TABLE", "audit", "events"),                      // schemas_nodata
                e(3, "TABLE", "app", "sessions"),                      // tablename_nodata_regexp
                e(4, "TABLE DATA", "app", "orders", 1),
                e(5, "TABLE DATA", "audit", "events", 2),
                e(6, "TABLE DATA", "app", "sessions", 3),
                fk(7, "app", "orders orders_event_fkey", "ALTER TABLE ONLY app.orders\n    ADD CONSTRAINT orders_event_fkey"
                        + " FOREIGN KEY (event_id) REFERENCES audit.events(id);", 1, 2),
                fk(8, "audit", "events events_order_fkey", "ALTER TABLE ONLY audit.events\n    ADD CONSTRAINT events_order_fkey"
                        + " FOREIGN KEY (order_id) REFERENCES app.orders(id);", 2, 1),          // empty -> full: fine
                fk(9, "app", "sessions sessions_self_fkey", "ALTER TABLE ONLY app.sessions\n    ADD CONSTRAINT"
                        + " sessions_self_fkey FOREIGN KEY (parent) REFERENCES app.sessions(id);", 3),   // empty -> empty
                fk(10, "Sales Data", "Order \"Items\" items_fkey", "ALTER TABLE ONLY \"Sales Data\".\"Order \"\"Items\"\"\"\n"
                        + "    ADD CONSTRAINT items_fkey FOREIGN KEY (s) REFERENCES app.sessions(id);", 3)));
        assertThat(r.dropped()).containsExactly("5", "6", "7", "10");
        assertThat(r.summary().dependencyDrops()).containsExactly(
                "FK CONSTRAINT app.orders orders_event_fkey references a table restored without its data",
                "FK CONSTRAINT Sales Data.Order \"Items\" items_fkey references a table restored without its data");
    }

    static CatalogEntry fk(int id, String ns, String tag, String defn, int... deps) {
        return new CatalogEntry(id, 2606, id, "FK CONSTRAINT", ns, tag, "owner", defn, deps);
    }

    @Test
    void extensionsCreatedInExcludedSchemasGoOthersStay() {
        CatalogEntry inPgq = new CatalogEntry(1, 3079, 1, "EXTENSION", null, "pgq", "", 
                "CREATE EXTENSION IF NOT EXISTS pgq WITH SCHEMA pgq;", null);
        CatalogEntry inPublic = new CatalogEntry(2, 3079, 2, "EXTENSION", null, "pg_trgm", "",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;", null);
        CatalogEntry inApp = new CatalogEntry(3, 3079, 3, "EXTENSION", null, "citext", "",
                "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA app;", null);
        Result r = run(RULES, List.of(inPgq, inPublic, inApp, e(4, "COMMENT", null, "EXTENSION pgq", 1)));
        assertThat(r.dropped()).containsExactly("1", "4");
    }

    @Test
    void linesKeepOddNamesAndNeverBreakAcrossLines() {
        StringWriter out = new StringWriter();
        new CatalogFilter(FilterRules.none()).filter(List.of(
                e(1, "TABLE", "Sales Data", "Order \"Items\""),
                e(2, "TABLE", "app", "evil\n3; 0 0 TABLE DATA app x"),
                new CatalogEntry(3, 0, 0, "ENCODING", null, "ENCODING", "", null, null)).iterator(), out);
        assertThat(out.toString()).isEqualTo("1; 0 1 TABLE Sales Data Order \"Items\" owner\n"
                + "2; 0 2 TABLE app evil 3; 0 0 TABLE DATA app x owner\n");
    }

    @Test
    void summaryListsAreCappedWithACountOfTheRest() {
        int n = FilterSummary.CAP + 250;
        Iterator<CatalogEntry> many = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < n * 2;
            }

            @Override
            public CatalogEntry next() {
                i++;
                return i % 2 == 0 ? e(i, "TABLE DATA", "audit", "t" + i) : e(i, "SCHEMA", null, "s" + i);
            }
        };
        FilterSummary s = new CatalogFilter(RULES).filter(many, new StringWriter());
        assertThat(s.nodataTables()).hasSize(FilterSummary.CAP);
        assertThat(s.moreNodataTables()).isEqualTo(250);
        assertThat(s.excludedSchemas()).hasSize(FilterSummary.CAP);
        assertThat(s.moreExcludedSchemas()).isEqualTo(250);
        assertThat(s.total()).isEqualTo(2 * n);
    }

    @Test
    void rulesComeFromTheSectionOptions() {
        Section section = new Section("foodb.dev", Map.of("schemas", "app, Sales Data", "schemas_nodata", "audit",
                "tablename_nodata_regexp", "_log$"));
        FilterRules rules = FilterRules.of(section);
        assertThat(rules.schemas()).containsExactly("app", "Sales Data");
        assertThat(rules.schemasNodata()).containsExactly("audit");
        assertThat(rules.isNodataTable("billing", "payment_log")).isTrue();
        assertThat(rules.isNodataTable("billing", "payment_logs")).isFalse();
        assertThat(rules.keepsSchema("audit")).isTrue();
        assertThat(rules.keepsSchema("pgq")).isFalse();
        assertThat(FilterRules.of(new Section("x", Map.of())).keepsEverything()).isTrue();
    }
}
