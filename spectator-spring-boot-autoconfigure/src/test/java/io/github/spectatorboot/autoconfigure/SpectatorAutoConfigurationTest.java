package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.DefaultRegistry;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.NoopRegistry;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Spectator;
import io.github.spectatorboot.registry.StepRegistry;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class SpectatorAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SpectatorAutoConfiguration.class, SpectatorJvmMetricsAutoConfiguration.class))
      .withPropertyValues("spectator.global-registry.enabled=false");

  @Test
  void createsAStepRegistryWithTheDefaults() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(Registry.class).hasSingleBean(StepRegistry.class).hasSingleBean(Clock.class);
      StepRegistry registry = context.getBean(StepRegistry.class);
      assertThat(registry.stepMillis()).isEqualTo(60_000);
      assertThat(registry.clock()).isSameAs(Clock.SYSTEM);
    });
  }

  @Test
  void bindsStepCommonTagsAndTheAggregatorDefaultStep() {
    runner.withPropertyValues("spectator.uri=http://aggr:7101/api/v4/update", "spectator.common-tags.nf.app=shop")
        .run(context -> {
          StepRegistry registry = context.getBean(StepRegistry.class);
          assertThat(registry.stepMillis()).isEqualTo(5_000);
          assertThat(registry.commonTags()).containsExactly(Map.entry("nf.app", "shop"));
        });
    runner.withPropertyValues("spectator.step=10s").run(context ->
        assertThat(context.getBean(StepRegistry.class).stepMillis()).isEqualTo(10_000));
  }

  @Test
  void theMasterSwitchLeavesOnlyANoopRegistry() {
    runner.withConfiguration(AutoConfigurations.of(SpectatorNoopRegistryAutoConfiguration.class))
        .withPropertyValues("spectator.enabled=false").run(context -> {
          assertThat(context).hasSingleBean(Registry.class).doesNotHaveBean(StepRegistry.class)
              .doesNotHaveBean(JvmMetrics.class).doesNotHaveBean(SpectatorProperties.class);
          assertThat(context.getBean(Registry.class)).isInstanceOf(NoopRegistry.class);
        });
  }

  @Test
  void theNoopRegistryIsNotCreatedWhileTheStarterIsEnabled() {
    runner.withConfiguration(AutoConfigurations.of(SpectatorNoopRegistryAutoConfiguration.class)).run(context ->
        assertThat(context).hasSingleBean(Registry.class).hasSingleBean(StepRegistry.class));
  }

  @Test
  void allowsACustomRegistryToBeUsed() {
    runner.withUserConfiguration(CustomRegistry.class).run(context -> {
      assertThat(context).hasSingleBean(Registry.class).doesNotHaveBean(StepRegistry.class);
      assertThat(context).hasSingleBean(JvmMetrics.class);
      assertThat(context.getBean(Registry.class)).isInstanceOf(DefaultRegistry.class);
    });
  }

  @Test
  void allowsACustomClockToBeUsed() {
    runner.withUserConfiguration(CustomClock.class).run(context ->
        assertThat(context.getBean(StepRegistry.class).clock()).isInstanceOf(ManualClock.class));
  }

  @Test
  void registersJvmAndGcMetricsOnTheRegistryOnceTheApplicationIsReady() {
    runner.run(context -> {
      Registry registry = context.getBean(Registry.class);
      Thread registration = context.getBean(JvmMetrics.class).registrationThread();
      // the registration thread is parked on the ready signal, with nothing registered
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> registration.getState() == Thread.State.TIMED_WAITING);
      assertThat(registry.stream().map(m -> m.id().name())).noneMatch(n -> n.startsWith("jvm."));

      context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0],
          context.getSourceApplicationContext(), Duration.ZERO));

      // registered off the start-up path
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(registry.stream().map(m -> m.id().name())).contains("jvm.memory.used", "jvm.gc.maxDataSize"));
    });
  }

  @Test
  void withoutAReadyEventTheJvmMetricsAreRegisteredAfterTheWait() {
    Registry registry = new DefaultRegistry();
    JvmMetrics metrics = new JvmMetrics(registry, Duration.ofMillis(100));
    metrics.start();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(registry.stream().map(m -> m.id().name())).contains("jvm.memory.used"));
    } finally {
      metrics.stop();
    }
  }

  @Test
  void jvmMetricsStoppedBeforeTheApplicationIsReadyRegisterNothing() throws InterruptedException {
    Registry registry = new DefaultRegistry();
    JvmMetrics metrics = new JvmMetrics(registry, Duration.ofSeconds(30));
    metrics.start();
    Thread registration = metrics.registrationThread();

    metrics.stop();

    registration.join(10_000);
    assertThat(registration.isAlive()).isFalse();
    assertThat(registry.stream().map(m -> m.id().name())).noneMatch(n -> n.startsWith("jvm."));
  }

  @Test
  void jvmMetricsCanBeDisabled() {
    runner.withPropertyValues("spectator.jvm.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(JvmMetrics.class);
      assertThat(context.getBean(Registry.class).stream().map(m -> m.id().name()))
          .noneMatch(n -> n.startsWith("jvm."));
    });
  }

  @Test
  void theRegistryJoinsTheGlobalRegistryWhileTheContextRunsAndLeavesWhenItCloses() {
    Registry[] seen = new Registry[1];
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SpectatorAutoConfiguration.class))
        .run(context -> {
          seen[0] = context.getBean(Registry.class);
          Spectator.globalRegistry().counter("from.a.library").increment();
          assertThat(seen[0].counter("from.a.library").count()).isZero(); // last completed step
          assertThat(((StepRegistry) seen[0]).peek().measurements())
              .anyMatch(m -> m.id().name().equals("from.a.library") && m.delta() == 1.0);
        });
    Spectator.globalRegistry().counter("after.close").increment();
    assertThat(((StepRegistry) seen[0]).stream().map(m -> m.id().name())).doesNotContain("after.close");
  }

  @Test
  void theGlobalRegistryBindingCanBeDisabled() {
    runner.run(context -> assertThat(context).doesNotHaveBean(GlobalRegistryBinding.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomRegistry {
    @Bean
    Registry myRegistry() {
      return new DefaultRegistry();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomClock {
    @Bean
    Clock testClock() {
      return new ManualClock(Duration.ofMinutes(1).toMillis(), 0);
    }
  }
}
