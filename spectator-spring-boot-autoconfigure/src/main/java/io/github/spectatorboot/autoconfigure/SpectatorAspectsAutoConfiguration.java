package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.aop.CountedAspect;
import io.github.spectatorboot.aop.MeterAnnotationValidator;
import io.github.spectatorboot.aop.TimedAspect;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * The aspects behind {@code @Timed} and {@code @Counted}, and the start-up check of those
 * annotations. Spring Boot's AOP auto-configuration creates the proxies (AspectJ must be on the
 * class path, as the starter ensures). Either aspect can be replaced by a bean of the same type.
 *
 * <p>The aspects are infrastructure beans made by static methods, as Spring's own advisors are:
 * Spring creates advisors while it registers the bean post-processors, so they take the registry
 * only once the context's singletons exist; the registry and this configuration are created as
 * ordinary beans, processed by every post-processor.
 */
@AutoConfiguration(after = SpectatorAutoConfiguration.class)
@ConditionalOnClass(name = "org.aspectj.weaver.Advice")
@ConditionalOnBean(Registry.class)
@ConditionalOnBooleanProperty(name = "spectator.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "spectator.annotations.enabled", matchIfMissing = true)
public final class SpectatorAspectsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static TimedAspect spectatorTimedAspect(ObjectProvider<Registry> registry) {
    return new TimedAspect(registry::getObject);
  }

  @Bean
  @ConditionalOnMissingBean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static CountedAspect spectatorCountedAspect(ObjectProvider<Registry> registry) {
    return new CountedAspect(registry::getObject);
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static MeterAnnotationValidator spectatorMeterAnnotationValidator() {
    return new MeterAnnotationValidator();
  }
}
