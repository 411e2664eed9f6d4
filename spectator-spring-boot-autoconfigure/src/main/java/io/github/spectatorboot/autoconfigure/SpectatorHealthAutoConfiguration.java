package io.github.spectatorboot.autoconfigure;

import io.github.spectatorboot.actuate.SpectatorHealthIndicator;
import io.github.spectatorboot.lwc.LwcStatusSource;
import io.github.spectatorboot.publish.AtlasPublisher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code spectator} health contributor, when there is a publisher and Boot's health support. */
@AutoConfiguration(after = SpectatorPublishAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AtlasPublisher.class)
@ConditionalOnBooleanProperty(name = "spectator.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("spectator")
public final class SpectatorHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "spectatorHealthIndicator")
  SpectatorHealthIndicator spectatorHealthIndicator(AtlasPublisher publisher, SpectatorProperties properties,
      ObjectProvider<LwcStatusSource> lwc) {
    return new SpectatorHealthIndicator(publisher, properties.getUri(), () -> {
      LwcStatusSource s = lwc.getIfAvailable();
      return s == null ? null : s.lwcStatus();
    });
  }
}
