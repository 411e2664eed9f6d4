package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.micrometer.SpectatorMeterRegistry;
import io.github.spectatorboot.registry.StepRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Duration;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer's meters in the Spectator registry: a {@link SpectatorMeterRegistry} that Spring Boot
 * takes as the application's {@link MeterRegistry}, so Boot's own metrics and every library that
 * measures through Micrometer are published with the Spectator meters. Boot applies its meter
 * filters, customizers, binders and {@code management.metrics.*} to it like to any registry; its
 * fallback {@code SimpleMeterRegistry} backs off, as it does for a registry of Boot's own exports.
 *
 * <p>One concept, one name: while Spectator's JVM metrics run ({@code spectator.jvm.enabled},
 * the default), Micrometer's {@code jvm.*} meters are not recorded.
 */
@AutoConfiguration(after = {SpectatorAutoConfiguration.class, SpectatorJvmMetricsAutoConfiguration.class},
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    beforeName = {"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(Registry.class)
@ConditionalOnBooleanProperty(name = "spectator.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "spectator.micrometer.enabled", matchIfMissing = true)
public final class SpectatorMicrometerAutoConfiguration {

  /** Prefix of Micrometer's JVM meters, left out while Spectator measures the JVM. */
  static final String JVM_PREFIX = "jvm.";

  @Bean
  @ConditionalOnMissingBean
  SpectatorMeterRegistry spectatorMeterRegistry(Registry registry, SpectatorProperties properties,
      ObjectProvider<Clock> clock, ObjectProvider<JvmMetrics> spectatorJvmMetrics) {
    Duration step = registry instanceof StepRegistry r ? Duration.ofMillis(r.stepMillis()) : properties.resolvedStep();
    Set<String> commonTagKeys = registry instanceof StepRegistry r ? r.commonTags().keySet() : Set.of();
    SpectatorMeterRegistry meterRegistry = new SpectatorMeterRegistry(registry, clock.getIfAvailable(() -> Clock.SYSTEM),
        step, commonTagKeys);
    if (spectatorJvmMetrics.getIfAvailable() != null) {
      // first of the registry's filters, so no later one can accept these meters again
      meterRegistry.config().meterFilter(MeterFilter.denyNameStartsWith(JVM_PREFIX));
    }
    return meterRegistry;
  }
}
