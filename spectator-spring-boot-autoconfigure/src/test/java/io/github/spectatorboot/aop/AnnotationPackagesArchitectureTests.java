package io.github.spectatorboot.aop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class AnnotationPackagesArchitectureTests {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.github.spectatorboot.annotation", "io.github.spectatorboot.aop");

  @Test
  void theAnnotationsDependOnNothingButTheJdk() {
    noClasses().that().resideInAPackage("io.github.spectatorboot.annotation")
        .should().dependOnClassesThat().resideOutsideOfPackages("io.github.spectatorboot.annotation", "java..")
        .check(CLASSES);
  }

  @Test
  void onlyReactorPublishersNamesReactorTypesSoTheAspectsRunWithoutReactor() {
    noClasses().that().resideInAPackage("io.github.spectatorboot.aop")
        .and(DescribedPredicate.not(insideReactorPublishers()))
        .should().dependOnClassesThat().resideInAnyPackage("reactor..", "org.reactivestreams..")
        .check(CLASSES);
  }

  private static DescribedPredicate<JavaClass> insideReactorPublishers() {
    String name = ReactorPublishers.class.getName();
    return DescribedPredicate.describe("are ReactorPublishers or nested in it",
        c -> c.getName().equals(name) || c.getName().startsWith(name + "$"));
  }
}
