package io.github.spectatorboot.autoconfigure;

import io.github.spectatorboot.lwc.LwcStatusSource;
import io.github.spectatorboot.actuate.SpectatorEndpoint;
import io.github.spectatorboot.actuate.SpectatorWebEndpointExtension;
import io.github.spectatorboot.actuate.StepHistory;
import io.github.spectatorboot.publish.AtlasPublisher;
import io.github.spectatorboot.registry.StepRegistry;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code spectator} actuator endpoint, when the actuator is present and the endpoint available;
 * when it is exposed over HTTP, also its web extension (the page for browsers, errors with a body)
 * and the recent steps the page draws.
 */
@AutoConfiguration(after = {SpectatorAutoConfiguration.class, SpectatorPublishAutoConfiguration.class})
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(StepRegistry.class)
@ConditionalOnBooleanProperty(name = "spectator.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(SpectatorEndpoint.class)
public final class SpectatorEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  SpectatorEndpoint spectatorEndpoint(StepRegistry registry, SpectatorProperties properties,
      ObjectProvider<AtlasPublisher> publisher, ObjectProvider<LwcStatusSource> lwc) {
    String format = properties.resolvedFormat().name().toLowerCase(Locale.ROOT);
    return new SpectatorEndpoint(registry, properties.getUri(), format, () -> {
      AtlasPublisher p = publisher.getIfAvailable();
      return p == null ? null : p.status();
    }, () -> {
      LwcStatusSource s = lwc.getIfAvailable();
      return s == null ? null : s.lwcStatus();
    });
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnAvailableEndpoint(endpoint = SpectatorEndpoint.class, exposure = EndpointExposure.WEB)
  static class WebExtension {

    @Bean
    @ConditionalOnMissingBean
    SpectatorWebEndpointExtension spectatorWebEndpointExtension(SpectatorEndpoint endpoint,
        ObjectProvider<StepHistory> history) {
      return new SpectatorWebEndpointExtension(endpoint, history.getIfAvailable());
    }

    /** Fed by every poll of the registry, so the page has the steps the publisher sent. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnExpression("${spectator.history.steps:60} > 0")
    StepHistory spectatorStepHistory(StepRegistry registry, SpectatorProperties properties) {
      StepHistory history = new StepHistory(properties.getHistory().getSteps(), properties.getHistory().getMaxSeries());
      registry.addStepListener(history);
      return history;
    }
  }
}
