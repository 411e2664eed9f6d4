package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.patterns.PolledMeter;
import com.netflix.spectator.gc.GcLogger;
import com.netflix.spectator.jvm.Jmx;
import io.github.spectatorboot.micrometer.SpectatorMeterRegistry;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class SpectatorMicrometerAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SpectatorAutoConfiguration.class, SpectatorJvmMetricsAutoConfiguration.class,
          SpectatorMicrometerAutoConfiguration.class, MetricsAutoConfiguration.class,
          CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
      .withPropertyValues("spectator.global-registry.enabled=false", "management.metrics.use-global-registry=false");

  /** What the registry would publish now for the names {@code names} accepts, gauges sampled first. */
  private static Map<String, Double> published(StepRegistry registry, Function<String, Boolean> names) {
    PolledMeter.update(registry);
    StepSnapshot snapshot = registry.peek(id -> names.apply(id.name()));
    Map<String, Double> out = new TreeMap<>();
    snapshot.measurements().forEach(m -> out.put(m.id().name() + ":" + m.statistic(), m.delta()));
    return out;
  }

  @Test
  void theBridgeIsTheApplicationsOnlyMeterRegistryAndBootsFallbackBacksOff() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(MeterRegistry.class).hasSingleBean(SpectatorMeterRegistry.class)
          .doesNotHaveBean(SimpleMeterRegistry.class);
      assertThat(context.getBean(SpectatorMeterRegistry.class).spectatorRegistry()).isSameAs(context.getBean(Registry.class));
    });
  }

  @Test
  void autoConfigurationCanBeDisabledWithSpecificEnabledProperty() {
    runner.withPropertyValues("spectator.micrometer.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(SpectatorMeterRegistry.class).hasSingleBean(SimpleMeterRegistry.class));
  }

  @Test
  void theMasterSwitchTurnsTheBridgeOffToo() {
    runner.withPropertyValues("spectator.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(SpectatorMeterRegistry.class).hasSingleBean(SimpleMeterRegistry.class));
  }

  @Test
  void backsOffWithoutMicrometerOnTheClassPath() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SpectatorAutoConfiguration.class, SpectatorMicrometerAutoConfiguration.class))
        .withPropertyValues("spectator.global-registry.enabled=false")
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(StepRegistry.class)
            .doesNotHaveBean(SpectatorMeterRegistry.class));
  }

  @Test
  void bootsMeterFiltersCustomizersBindersAndMetricsPropertiesApplyToTheBridge() {
    runner.withUserConfiguration(BootMetricsConfiguration.class)
        .withPropertyValues("management.metrics.enable.noisy=false", "management.metrics.tags.region=eu")
        .run(context -> {
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          meters.counter("orders").increment(2);
          meters.counter("noisy.requests").increment();
          meters.counter("internal.cache").increment();

          Map<String, Double> values = published(context.getBean(StepRegistry.class), n -> !n.startsWith("spectator."));
          assertThat(values).containsEntry("orders:count", 2.0).containsEntry("bound.by.binder:gauge", 1.0)
              .doesNotContainKey("noisy.requests:count").doesNotContainKey("internal.cache:count");
          StepRegistry registry = context.getBean(StepRegistry.class);
          assertThat(registry.peek(id -> id.name().equals("orders")).id(0).tags())
              .extracting(t -> t.key() + "=" + t.value()).containsExactlyInAnyOrder("region=eu", "team=checkout");
        });
  }

  @Test
  void spectatorCommonTagsWinOverManagementMetricsTagsWithTheSameKey() {
    runner.withPropertyValues("spectator.common-tags.nf.app=shop", "management.metrics.tags.nf.app=other",
        "management.metrics.tags.region=eu").run(context -> {
          context.getBean(MeterRegistry.class).counter("orders").increment();
          StepSnapshot snapshot = context.getBean(StepRegistry.class).peek(id -> id.name().equals("orders"));
          assertThat(snapshot.id(0).tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("region=eu");
          assertThat(snapshot.commonTags()).containsExactlyEntriesOf(Map.of("nf.app", "shop"));
        });
  }

  @Test
  void micrometersJvmMetersAreLeftOutWhileSpectatorMeasuresTheJvm() {
    runner.withUserConfiguration(MicrometerJvmBinder.class).run(context -> {
      assertThat(context).hasSingleBean(JvmMetrics.class);
      Map<String, Double> values = published(context.getBean(StepRegistry.class), n -> n.startsWith("jvm.threads."));
      assertThat(values).isEmpty();
      assertThat(context.getBean(MeterRegistry.class).find("jvm.threads.live").gauge()).isNull();
    });
  }

  @Test
  void micrometersJvmMetersArePublishedWhenSpectatorsAreOff() {
    runner.withUserConfiguration(MicrometerJvmBinder.class).withPropertyValues("spectator.jvm.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(JvmMetrics.class);
      Map<String, Double> values = published(context.getBean(StepRegistry.class), n -> n.startsWith("jvm.threads."));
      assertThat(values).containsKey("jvm.threads.live:gauge");
      assertThat(values.get("jvm.threads.live:gauge")).isPositive();
    });
  }

  @Test
  void micrometersJvmMetersArePublishedWithoutSpectatorsJvmExtensions() {
    runner.withUserConfiguration(MicrometerJvmBinder.class).withClassLoader(new FilteredClassLoader(Jmx.class, GcLogger.class))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(SpectatorMeterRegistry.class).doesNotHaveBean(JvmMetrics.class);
          assertThat(context.getBean(MeterRegistry.class).find("jvm.threads.live").gauge()).isNotNull();
        });
  }

  @Test
  void allowsACustomSpectatorMeterRegistryToBeUsed() {
    runner.withUserConfiguration(CustomMeterRegistry.class).run(context ->
        assertThat(context).hasSingleBean(SpectatorMeterRegistry.class)
            .getBean(SpectatorMeterRegistry.class).isSameAs(context.getBean("myMeterRegistry")));
  }

  @Configuration(proxyBeanMethods = false)
  static class BootMetricsConfiguration {
    static final List<String> BOUND = List.of("one");

    @Bean
    MeterFilter denyInternal() {
      return MeterFilter.denyNameStartsWith("internal.");
    }

    @Bean
    MeterRegistryCustomizer<MeterRegistry> teamTag() {
      return registry -> registry.config().commonTags("team", "checkout");
    }

    @Bean
    MeterBinder binder() {
      return registry -> registry.gauge("bound.by.binder", BOUND, List::size);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class MicrometerJvmBinder {
    @Bean
    JvmThreadMetrics jvmThreadMetrics() {
      return new JvmThreadMetrics();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomMeterRegistry {
    @Bean
    SpectatorMeterRegistry myMeterRegistry(Registry registry) {
      return new SpectatorMeterRegistry(registry, io.micrometer.core.instrument.Clock.SYSTEM, java.time.Duration.ofMinutes(1),
          java.util.Set.of());
    }
  }
}
