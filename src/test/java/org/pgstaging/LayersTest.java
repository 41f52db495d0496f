package org.pgstaging;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of the house, checked on the compiled classes: faces (cli, slack, and client on the
 * database servers) call job, job calls the engine, the engine never calls up (nor records metrics: the
 * job layer turns its events into them), and no two packages depend on each other.
 */
class LayersTest {
    private static final String[] ENGINE = {"org.pgstaging.backup..", "org.pgstaging.catalog..", "org.pgstaging.config..",
            "org.pgstaging.host..", "org.pgstaging.pgbouncer..", "org.pgstaging.postgres..", "org.pgstaging.restore.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.pgstaging");
    }

    @Test
    void theEngineNeverCallsUp() {
        noClasses().that().resideInAnyPackage(ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage("org.pgstaging.job..", "org.pgstaging.cli..",
                        "org.pgstaging.slack..", "org.pgstaging.client..")
                .check(classes);
    }

    @Test
    void theEngineRecordsNoMetricsItEmitsEvents() {
        noClasses().that().resideInAnyPackage(ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..", "org.pgstaging.metrics..")
                .check(classes);
    }

    @Test
    void metricsHaveNoPgstagingDependencies() {
        noClasses().that().resideInAPackage("org.pgstaging.metrics..")
                .should().dependOnClassesThat().resideInAPackage("org.pgstaging")
                .orShould().dependOnClassesThat().resideInAnyPackage("org.pgstaging.job..", "org.pgstaging.cli..",
                        "org.pgstaging.slack..", "org.pgstaging.client..", "org.pgstaging.restore..", "org.pgstaging.config..")
                .check(classes);
    }

    @Test
    void jobNeverCallsAFace() {
        noClasses().that().resideInAPackage("org.pgstaging.job..")
                .should().dependOnClassesThat().resideInAnyPackage("org.pgstaging.cli..", "org.pgstaging.slack..",
                        "org.pgstaging.client..")
                .check(classes);
    }

    @Test
    void facesUseTheJobApiNotItsQueueOrStore() {
        noClasses().that().resideInAnyPackage("org.pgstaging.cli..", "org.pgstaging.slack..", "org.pgstaging.client..")
                .should().dependOnClassesThat().resideInAnyPackage("org.pgstaging.job.queue..", "org.pgstaging.job.store..",
                        "org.pgstaging.job.metrics..")
                .check(classes);
    }

    @Test
    void facesStayApartButForTheCommandThatStartsTheBot() {
        noClasses().that().resideInAPackage("org.pgstaging.slack..")
                .should().dependOnClassesThat().resideInAnyPackage("org.pgstaging.cli..", "org.pgstaging.client..")
                .check(classes);
        noClasses().that().resideInAPackage("org.pgstaging.cli..").and().doNotHaveSimpleName("BotCommand")
                .should().dependOnClassesThat().resideInAPackage("org.pgstaging.slack..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("org.pgstaging.client..")
                .should().dependOnClassesThat().resideInAPackage("org.pgstaging.client..")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.pgstaging.(**)").should().beFreeOfCycles().check(classes);
    }
}
