package org.pgstaging.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TriggerDefinitionTest {

    @Test
    void readsQuotedNamesWithSpacesAndQuotes() {
        TriggerDefinition d = TriggerDefinition.parse("CREATE TRIGGER \"touch \"\"items\"\"\" BEFORE UPDATE ON "
                + "\"Sales Data\".\"Order \"\"Items\"\"\" FOR EACH ROW EXECUTE FUNCTION \"Sales Data\".\"touch updated\"();\n")
                .orElseThrow();
        assertThat(d).isEqualTo(new TriggerDefinition("touch \"items\"", "Sales Data", "Order \"Items\"",
                "Sales Data", "touch updated"));
        assertThat(d.qualifiedFunction()).isEqualTo("Sales Data.touch updated");
    }

    @Test
    void readsPlainNamesArgumentsAndProcedureSpelling() {
        TriggerDefinition d = TriggerDefinition.parse("CREATE TRIGGER invoices_replicate AFTER INSERT OR DELETE OR "
                + "UPDATE ON billing.invoices FOR EACH ROW EXECUTE PROCEDURE pgq.logtriga('q', 'kv', 'billing.invoices');")
                .orElseThrow();
        assertThat(d.tableSchema()).isEqualTo("billing");
        assertThat(d.table()).isEqualTo("invoices");
        assertThat(d.functionSchema()).isEqualTo("pgq");
        assertThat(d.function()).isEqualTo("logtriga");
    }

    @Test
    void unqualifiedFunctionIsPgCatalog() {
        TriggerDefinition d = TriggerDefinition.parse("CREATE TRIGGER tsv BEFORE INSERT OR UPDATE ON app.docs FOR EACH ROW "
                + "EXECUTE FUNCTION tsvector_update_trigger('tsv', 'pg_catalog.english', 'body');").orElseThrow();
        assertThat(d.qualifiedFunction()).isEqualTo("pg_catalog.tsvector_update_trigger");
    }

    @Test
    void isNotFooledByKeywordsInsideLiteralsColumnsAndWhenClauses() {
        TriggerDefinition d = TriggerDefinition.parse("CREATE CONSTRAINT TRIGGER \"on\" AFTER UPDATE OF \"on\", x ON "
                + "app.t FROM app.other DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ((new.x <> 'EXECUTE FUNCTION "
                + "evil.f(')) EXECUTE FUNCTION app.check_it(E'it''s \\' ON x.y', 'EXECUTE FUNCTION z.w()');").orElseThrow();
        assertThat(d.trigger()).isEqualTo("on");
        assertThat(d.tableSchema()).isEqualTo("app");
        assertThat(d.table()).isEqualTo("t");
        assertThat(d.qualifiedFunction()).isEqualTo("app.check_it");
    }

    @Test
    void otherTextIsNotATrigger() {
        assertThat(TriggerDefinition.parse(null)).isEmpty();
        assertThat(TriggerDefinition.parse("CREATE TABLE app.t (id int);")).isEmpty();
        assertThat(TriggerDefinition.parse("CREATE TRIGGER t AFTER INSERT ON app.t FOR EACH ROW")).isEmpty();
    }
}
