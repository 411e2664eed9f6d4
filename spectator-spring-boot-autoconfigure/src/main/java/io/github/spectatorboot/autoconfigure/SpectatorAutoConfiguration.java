package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The Spectator {@link Registry}: a {@link StepRegistry} with Atlas step semantics, configured from
 * {@code spectator.*}. An application that defines its own {@code Registry} bean keeps it; the
 * aspects, the JVM metrics and the global-registry binding still apply to it, while publishing
 * and the endpoint need a {@link StepRegistry}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "spectator.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SpectatorProperties.class)
public final class SpectatorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock spectatorClock() {
    return Clock.SYSTEM;
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Registry.class)
  StepRegistry spectatorRegistry(Clock clock, SpectatorProperties properties) {
    StepRegistryConfig config = new StepRegistryConfig(properties.resolvedStep(), properties.getMeterTtl(),
        properties.getMaxMeters(), properties.getCommonTags());
    return new StepRegistry(clock, config);
  }

  @Bean
  @ConditionalOnBooleanProperty(name = "spectator.global-registry.enabled", matchIfMissing = true)
  GlobalRegistryBinding spectatorGlobalRegistryBinding(Registry registry) {
    return new GlobalRegistryBinding(registry);
  }
}
