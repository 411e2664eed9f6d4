package io.github.spectatorboot.aop;

import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

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

  @Bean TimedAspect timedAspect(Registry registry) {
    return new TimedAspect(registry);
  }

  @Bean CountedAspect countedAspect(Registry registry) {
    return new CountedAspect(registry);
  }

  @Bean static MeterAnnotationValidator meterAnnotationValidator() {
    return new MeterAnnotationValidator();
  }

  /** Moves the monotonic clock forward, as if the calling code had run that long. */
  static void advance(ManualClock clock, long millis) {
    clock.setMonotonicTime(clock.monotonicTime() + millis * 1_000_000L);
  }
}
