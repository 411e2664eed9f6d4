package io.github.spectatorboot.autoconfigure;

import io.github.spectatorboot.publish.AtlasPublisher;
import io.github.spectatorboot.publish.PublisherConfig;
import io.github.spectatorboot.publish.StepPoller;
import io.github.spectatorboot.registry.StepRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Ships every step of the {@link StepRegistry} to Atlas with an {@link AtlasPublisher}, or, with
 * {@code spectator.publish.enabled=false}, only rolls the steps over with a {@link StepPoller} so
 * the endpoint and meter expiry keep working without touching the network.
 *
 * <p>The publisher's {@code WebClient} is built from the application's {@code WebClient.Builder}
 * when there is one, so its customizers (SSL, proxies, codecs) apply; the builder is asked for
 * once the publisher has started, on its own thread, not during the application's start-up. Its
 * observation registry is replaced by a no-op one, so the publisher's requests are not measured.
 */
@AutoConfiguration(after = SpectatorAutoConfiguration.class,
    afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnBean(StepRegistry.class)
@ConditionalOnBooleanProperty(name = "spectator.enabled", matchIfMissing = true)
public final class SpectatorPublishAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = "spectator.publish.enabled", matchIfMissing = true)
  static class Publishing {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    AtlasPublisher spectatorPublisher(StepRegistry registry, SpectatorProperties properties,
        ObjectProvider<WebClient.Builder> builders) {
      PublisherConfig config = new PublisherConfig(properties.getUri(),
          PublisherConfig.Format.valueOf(properties.resolvedFormat().name()), Duration.ofMillis(registry.stepMillis()),
          properties.getBatchSize(), properties.getConnectTimeout(), properties.getReadTimeout(),
          properties.getNumThreads(), properties.getShutdownTimeout(), properties.getPublish().getSendOffset(),
          PublisherConfig.Encoding.valueOf(properties.getPublish().getEncoding().name()));
      // asked for on the publisher's own thread once started (Boot's builder brings Boot's HTTP
      // connector), and without the application's ObservationRegistry: the publisher's own requests
      // are never measured (they would show in http.client.requests as method=POST, uri=none)
      return new AtlasPublisher(registry, config,
          () -> builders.getIfAvailable(WebClient::builder).observationRegistry(ObservationRegistry.NOOP));
    }

    @Bean
    StepLifecycle spectatorPublisherLifecycle(AtlasPublisher publisher) {
      return new StepLifecycle(publisher::start, publisher::close);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = "spectator.publish.enabled", havingValue = false)
  static class PollingOnly {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    StepPoller spectatorStepPoller(StepRegistry registry) {
      return new StepPoller(registry);
    }

    @Bean
    StepLifecycle spectatorStepPollerLifecycle(StepPoller poller) {
      return new StepLifecycle(poller::start, poller::close);
    }
  }
}
