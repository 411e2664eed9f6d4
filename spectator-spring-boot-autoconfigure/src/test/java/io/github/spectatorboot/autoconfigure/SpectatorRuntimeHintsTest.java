package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.spectatorboot.actuate.SpectatorEndpoint;
import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import io.github.spectatorboot.publish.PublisherStatus;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.ClassUtils;

class SpectatorRuntimeHintsTest {

  private final RuntimeHints hints = new RuntimeHints();
  private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

  SpectatorRuntimeHintsTest() {
    new SpectatorRuntimeHints().registerHints(hints, getClass().getClassLoader());
  }

  @Test
  void springAotFindsTheRegistrarThroughAotFactories() {
    List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
        .forResourceLocation("META-INF/spring/aot.factories").load(RuntimeHintsRegistrar.class);

    assertThat(registrars).hasAtLeastOneElementOfType(SpectatorRuntimeHints.class);
  }

  @Test
  void jacksonCanReadEveryComponentOfTheEndpointsResponsesAndOfTheTypesTheyHold() {
    for (Class<?> response : List.of(SpectatorEndpoint.SpectatorDescriptor.class, SpectatorEndpoint.MeterDescriptor.class,
        SpectatorEndpoint.MeterView.class, SpectatorEndpoint.AvailableTag.class, PublisherStatus.class)) {
      assertThat(reflection.onType(response)).as(response.getName()).accepts(hints);
      for (RecordComponent component : response.getRecordComponents()) {
        assertThat(reflection.onMethodInvocation(component.getAccessor()))
            .as(response.getSimpleName() + "." + component.getName()).accepts(hints);
      }
    }
  }

  @Test
  void jacksonCanCreateTheAtlasValidationAnswerThePublisherParses() {
    Class<?> answer = ClassUtils.resolveClassName(SpectatorRuntimeHints.VALIDATION_RESPONSE, null);

    assertThat(reflection.onConstructorInvocation(answer.getDeclaredConstructors()[0])).accepts(hints);
  }

  @Test
  void bootCanBindEveryPropertyIncludingTheNestedGroups() throws NoSuchMethodException {
    assertThat(reflection.onMethodInvocation(SpectatorProperties.class.getMethod("setBatchSize", int.class)))
        .accepts(hints);
    assertThat(reflection.onMethodInvocation(SpectatorProperties.class.getMethod("getCommonTags"))).accepts(hints);
    Class<?> annotations = SpectatorProperties.class.getMethod("getAnnotations").getReturnType();
    assertThat(reflection.onMethodInvocation(annotations.getMethod("setEnabled", boolean.class))).accepts(hints);
  }

  @Test
  void theAspectsCanReadTheAttributesOfTimedAndCounted() throws NoSuchMethodException {
    assertThat(reflection.onMethodInvocation(Timed.class.getMethod("value"))).accepts(hints);
    assertThat(reflection.onMethodInvocation(Timed.class.getMethod("extraTags"))).accepts(hints);
    assertThat(reflection.onMethodInvocation(Counted.class.getMethod("value"))).accepts(hints);
  }

  @Test
  void theJvmMetricsCanLookUpTheGcCpuTimeByNameOnTheJdksThatHaveIt() {
    // named rather than resolved: Java 17 has no such method, Java 20 and later do
    assertThat(hints.reflection().getTypeHint(MemoryMXBean.class).methods())
        .anySatisfy(method -> {
          assertThat(method.getName()).isEqualTo("getTotalGcCpuTime");
          assertThat(method.getParameterTypes()).isEmpty();
          assertThat(method.getMode()).isEqualTo(ExecutableMode.INVOKE);
        });
  }

  @Test
  void nothingOutsideWhatTheStarterReadsIsRegistered() {
    assertThat(reflection.onType(SpectatorAutoConfiguration.class)).rejects(hints);
    assertThat(reflection.onType(io.github.spectatorboot.registry.StepRegistry.class)).rejects(hints);
  }
}
