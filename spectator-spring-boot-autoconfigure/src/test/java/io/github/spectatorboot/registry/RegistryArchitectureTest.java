package io.github.spectatorboot.registry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The registry is plain Spectator: it must stay usable without Spring. */
class RegistryArchitectureTest {

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.github.spectatorboot.registry");

  @Test
  void theRegistryPackageDependsOnNoSpringReactorOrJacksonClass() {
    noClasses().that().resideInAPackage("io.github.spectatorboot.registry..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.springframework..", "reactor..", "tools.jackson..", "com.fasterxml..")
        .check(classes);
  }

  @Test
  void theRegistryPackageDependsOnNoOtherPackageOfThisProject() {
    noClasses().that().resideInAPackage("io.github.spectatorboot.registry..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.github.spectatorboot.publish..", "io.github.spectatorboot.autoconfigure..",
            "io.github.spectatorboot.actuate..", "io.github.spectatorboot.aop..")
        .check(classes);
  }
}
