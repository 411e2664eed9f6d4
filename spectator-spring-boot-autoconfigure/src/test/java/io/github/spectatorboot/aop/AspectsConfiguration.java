package io.github.spectatorboot.aop;

import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.context.annotation.Role;

/**
 * The beans the auto-configuration registers for the annotations, on a step registry whose clock
 * the tests move: beans implementing an interface get JDK proxies, others CGLIB ones.
 */
@Configuration(proxyBeanMethods = false)
@EnableAspectJAutoProxy
class AspectsConfiguration {

  @Bean ManualClock clock() {
    return new ManualClock();
  }

  @Bean StepRegistry registry(ManualClock clock) {
    return new StepRegistry(clock, StepRegistryConfig.defaults());
  }

  // Declared as the auto-configuration declares them: static infrastructure beans that take the
  // registry once the singletons exist, so no bean is created while the post-processors are.
  @Bean @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static TimedAspect timedAspect(ObjectProvider<Registry> registry) {
    return new TimedAspect(registry::getObject);
  }

  @Bean @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static CountedAspect countedAspect(ObjectProvider<Registry> registry) {
    return new CountedAspect(registry::getObject);
  }

  @Bean @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static MeterAnnotationValidator meterAnnotationValidator() {
    return new MeterAnnotationValidator();
  }

  /** Moves the monotonic clock forward, as if the calling code had run that long. */
  static void advance(ManualClock clock, long millis) {
    clock.setMonotonicTime(clock.monotonicTime() + millis * 1_000_000L);
  }
}
