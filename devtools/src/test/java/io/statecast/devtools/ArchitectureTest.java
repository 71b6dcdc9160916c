package io.statecast.devtools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.statecast.common.StatecastException;
import org.junit.jupiter.api.Test;

/** The module boundaries of STYLE.md, checked on the classes of every module (the dev tools see them all). */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.statecast");

    @Test
    void consumerLibNeverTouchesKafkaStreams() {
        noClasses()
                .that()
                .resideInAPackage("io.statecast.consumer..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka.streams..")
                .check(CLASSES);
    }

    @Test
    void noModuleTouchesAnotherModulesInternals() {
        String[] modules = {
            "schemas", "producer", "materializer", "consumer", "compact", "capture", "audit", "testkit", "bench", "cli"
        };
        for (String m : modules) {
            noClasses()
                    .that()
                    .resideOutsideOfPackage("io.statecast." + m + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.statecast." + m + ".internal..")
                    .check(CLASSES);
        }
    }

    @Test
    void onlyTheDevToolsDependOnTheCli() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.statecast.cli..", "io.statecast.devtools..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.statecast.cli..")
                .check(CLASSES);
    }

    @Test
    void nothingDependsOnTheDevTools() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.statecast.devtools..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.statecast.devtools..")
                .check(CLASSES);
    }

    @Test
    void noPublicSignatureNamesAnInternalType() {
        classes()
                .that(DescribedPredicate.describe("are public API", NoInternalTypeInPublicApi::isApi))
                .should(new NoInternalTypeInPublicApi())
                .check(CLASSES);
    }

    @Test
    void everyStatecastExceptionTypeIsThrownSomewhere() {
        classes()
                .that()
                .areAssignableTo(StatecastException.class)
                .should(new ArchCondition<JavaClass>("be constructed by another class (thrown somewhere)") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        boolean built = c.getConstructorCallsToSelf().stream()
                                .anyMatch(call -> !call.getOriginOwner().equals(c));
                        if (!built) {
                            events.add(SimpleConditionEvent.violated(c, c.getName() + " is declared, never thrown"));
                        }
                    }
                })
                .check(CLASSES);
    }
}
