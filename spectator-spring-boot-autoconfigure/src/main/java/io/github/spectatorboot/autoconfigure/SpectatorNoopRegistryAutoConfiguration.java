package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.api.NoopRegistry;
import com.netflix.spectator.api.Registry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * What {@code spectator.enabled=false} leaves: Spectator's {@link NoopRegistry}, so that the
 * application's beans that inject a {@link Registry} still start, while nothing is recorded,
 * published or served. The other auto-configurations stay off: no aspects (the annotations do
 * nothing), no JVM metrics, no publisher, no endpoint. An application's own {@code Registry} bean
 * is kept.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "spectator.enabled", havingValue = false)
public final class SpectatorNoopRegistryAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(Registry.class)
  NoopRegistry spectatorNoopRegistry() {
    return new NoopRegistry();
  }
}
