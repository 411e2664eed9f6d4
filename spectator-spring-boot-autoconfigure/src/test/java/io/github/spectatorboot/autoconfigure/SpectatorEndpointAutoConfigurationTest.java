package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.spectatorboot.actuate.SpectatorEndpoint;
import io.github.spectatorboot.actuate.SpectatorWebEndpointExtension;
import io.github.spectatorboot.actuate.StepHistory;
import io.github.spectatorboot.registry.StepRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

class SpectatorEndpointAutoConfigurationTest {

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SpectatorAutoConfiguration.class, SpectatorEndpointAutoConfiguration.class))
      .withPropertyValues("spectator.global-registry.enabled=false", "spectator.jvm.enabled=false",
          "management.endpoints.web.exposure.include=spectator");

  @Test
  void anEndpointExposedOverHttpGetsItsPageAndAHistoryFedByEveryPoll() {
    runner.withPropertyValues("spectator.history.steps=7", "spectator.history.max-series=11").run(context -> {
      assertThat(context).hasSingleBean(SpectatorEndpoint.class).hasSingleBean(SpectatorWebEndpointExtension.class)
          .hasSingleBean(StepHistory.class);
      StepHistory history = context.getBean(StepHistory.class);
      assertThat(history.steps()).isEqualTo(7);
      assertThat(history.maxSeries()).isEqualTo(11);
      StepRegistry registry = context.getBean(StepRegistry.class);
      registry.counter("orders").increment();
      registry.poll(registry.lastPollTimestamp() + registry.stepMillis());
      assertThat(history.window(id -> id.name().equals("orders")).series()).singleElement()
          .satisfies(s -> assertThat(s.values()).hasSize(1));
    });
  }

  @Test
  void theHistoryIsOffWithZeroSteps() {
    runner.withPropertyValues("spectator.history.steps=0").run(context ->
        assertThat(context).hasSingleBean(SpectatorWebEndpointExtension.class).doesNotHaveBean(StepHistory.class));
  }

  @Test
  void anEndpointNotExposedOverHttpGetsNeitherPageNorHistory() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=health", "spring.jmx.enabled=true",
        "management.endpoints.jmx.exposure.include=spectator").run(context ->
        assertThat(context).hasSingleBean(SpectatorEndpoint.class).doesNotHaveBean(SpectatorWebEndpointExtension.class)
            .doesNotHaveBean(StepHistory.class));
  }
}
