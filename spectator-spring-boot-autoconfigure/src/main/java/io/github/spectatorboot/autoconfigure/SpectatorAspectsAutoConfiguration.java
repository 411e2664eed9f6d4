package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.aop.CountedAspect;
import io.github.spectatorboot.aop.MeterAnnotationValidator;
import io.github.spectatorboot.aop.TimedAspect;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The aspects behind {@code @Timed} and {@code @Counted}, and the start-up check of those
 * annotations. Spring Boot's AOP auto-configuration creates the proxies (AspectJ must be on the
 * class path, as the starter ensures). Either aspect can be replaced by a bean of the same type.
 */
@AutoConfiguration(after = SpectatorAutoConfiguration.class)
@ConditionalOnClass(name = "org.aspectj.weaver.Advice")
@ConditionalOnBean(Registry.class)
@ConditionalOnBooleanProperty(name = "spectator.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "spectator.annotations.enabled", matchIfMissing = true)
public final class SpectatorAspectsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  TimedAspect spectatorTimedAspect(Registry registry) {
    return new TimedAspect(registry);
  }

  @Bean
  @ConditionalOnMissingBean
  CountedAspect spectatorCountedAspect(Registry registry) {
    return new CountedAspect(registry);
  }

  @Bean
  static MeterAnnotationValidator spectatorMeterAnnotationValidator() {
    return new MeterAnnotationValidator();
  }
}
