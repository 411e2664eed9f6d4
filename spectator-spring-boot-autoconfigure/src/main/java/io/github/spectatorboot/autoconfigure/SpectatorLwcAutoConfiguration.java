package io.github.spectatorboot.autoconfigure;

import io.github.spectatorboot.lwc.LwcConfig;
import io.github.spectatorboot.lwc.LwcStreamer;
import io.github.spectatorboot.registry.StepRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Streams the expressions subscribed at an Atlas LWC API with an {@link LwcStreamer} when
 * {@code spectator.lwc.enabled=true}; the start-up check has then already made sure that
 * {@code spectator-reg-atlas} is on the class path. The WebClient comes from the application's
 * builder, as the publisher's does, without its observation registry.
 */
@AutoConfiguration(after = SpectatorAutoConfiguration.class,
    afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnBean(StepRegistry.class)
@ConditionalOnClass(name = "com.netflix.spectator.atlas.impl.Evaluator")
@ConditionalOnBooleanProperty(name = "spectator.lwc.enabled")
public final class SpectatorLwcAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  LwcStreamer spectatorLwcStreamer(StepRegistry registry, SpectatorProperties properties,
      ObjectProvider<WebClient.Builder> builders) {
    SpectatorLwcProperties lwc = properties.getLwc();
    LwcConfig config = new LwcConfig(lwc.resolvedConfigUri(properties.getUri(), properties.getCommonTags()),
        lwc.resolvedEvalUri(properties.getUri()), lwc.getStep(), Duration.ofMillis(registry.stepMillis()),
        lwc.getRefreshFrequency(), lwc.isIgnorePublishStep(), properties.getBatchSize(), properties.getConnectTimeout(),
        properties.getReadTimeout(), lwc.isCompress());
    return new LwcStreamer(registry, config,
        () -> builders.getIfAvailable(WebClient::builder).observationRegistry(ObservationRegistry.NOOP));
  }

  @Bean
  StepLifecycle spectatorLwcLifecycle(LwcStreamer streamer) {
    return new StepLifecycle(streamer::start, streamer::close);
  }
}
