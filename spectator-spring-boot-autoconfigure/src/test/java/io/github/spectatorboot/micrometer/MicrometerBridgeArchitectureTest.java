package io.github.spectatorboot.micrometer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The bridge is Spectator's API and Micrometer's: it works over any Spectator registry, without Spring. */
class MicrometerBridgeArchitectureTest {

  private final JavaClasses bridge = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.github.spectatorboot.micrometer");

  @Test
  void theBridgeDependsOnSpectatorApiMicrometerCoreAndTheJdkOnly() {
    classes().that().resideInAPackage("io.github.spectatorboot.micrometer..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.github.spectatorboot.micrometer..",
            "com.netflix.spectator.api..", "com.netflix.spectator.impl..", "io.micrometer.core..",
            "io.micrometer.common..", "java..")
        .check(bridge);
  }
}
