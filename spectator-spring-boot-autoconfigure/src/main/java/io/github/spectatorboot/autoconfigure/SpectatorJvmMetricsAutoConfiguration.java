package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.gc.GcLogger;
import com.netflix.spectator.jvm.Jmx;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Netflix's JVM metrics on the registry: {@code spectator-ext-jvm}'s standard MXBeans
 * ({@code jvm.memory.used}, {@code jvm.thread.threadCount}, ...) and {@code spectator-ext-gc}'s
 * {@code GcLogger} ({@code jvm.gc.pause}, {@code jvm.gc.allocationRate}, ...).
 */
@AutoConfiguration(after = SpectatorAutoConfiguration.class)
@ConditionalOnClass({Jmx.class, GcLogger.class})
@ConditionalOnBean(Registry.class)
@ConditionalOnBooleanProperty(name = "spectator.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "spectator.jvm.enabled", matchIfMissing = true)
public final class SpectatorJvmMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  JvmMetrics spectatorJvmMetrics(Registry registry) {
    return new JvmMetrics(registry);
  }
}
