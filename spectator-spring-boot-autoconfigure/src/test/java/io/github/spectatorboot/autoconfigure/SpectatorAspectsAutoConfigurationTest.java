package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.DefaultRegistry;
import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.annotation.Timed;
import io.github.spectatorboot.aop.CountedAspect;
import io.github.spectatorboot.aop.InvalidMeterAnnotationException;
import io.github.spectatorboot.aop.TimedAspect;
import io.github.spectatorboot.registry.StepRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

@ExtendWith(OutputCaptureExtension.class)
class SpectatorAspectsAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, SpectatorAutoConfiguration.class,
          SpectatorAspectsAutoConfiguration.class))
      .withPropertyValues("spectator.global-registry.enabled=false");

  @Test
  void registersBothAspectsAndTimesAnAnnotatedBean() {
    runner.withUserConfiguration(AnnotatedBeanConfig.class).run(context -> {
      assertThat(context).hasSingleBean(TimedAspect.class).hasSingleBean(CountedAspect.class);
      context.getBean(Greeter.class).greet();
      StepRegistry registry = context.getBean(StepRegistry.class);
      assertThat(registry.peek().measurements())
          .anyMatch(m -> m.id().name().equals("greetings") && m.statistic().equals("count") && m.delta() == 1.0);
    });
  }

  @Test
  void theRegistryIsCreatedAfterTheBeanPostProcessorsAndProcessedByThem() {
    runner.withUserConfiguration(AnnotatedBeanConfig.class, SeenBeans.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(SeenBeans.class).names)
          .contains("spectatorRegistry", "spectatorClock", SpectatorAutoConfiguration.class.getName());
    });
  }

  @Test
  void twoRegistriesWithoutAPrimaryOneStopStartUp() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, SpectatorAspectsAutoConfiguration.class))
        .withUserConfiguration(TwoRegistries.class)
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).isInstanceOf(NoUniqueBeanDefinitionException.class)
              .hasMessageContaining("Registry");
        });
  }

  @Test
  void theAspectsCanBeSwitchedOff() {
    runner.withPropertyValues("spectator.annotations.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(TimedAspect.class).doesNotHaveBean(CountedAspect.class)
            .hasSingleBean(Registry.class));
  }

  @Test
  void anApplicationsOwnAspectReplacesTheStartersOne() {
    runner.withUserConfiguration(OwnAspect.class).run(context ->
        assertThat(context).hasSingleBean(TimedAspect.class).hasBean("myTimedAspect"));
  }

  @Test
  void noBeanIsLeftOutOfThePostProcessorsWithTheStartersAspectsOrAnOwnOneDeclaredAsDocumented(
      CapturedOutput output) {
    runner.withUserConfiguration(AnnotatedBeanConfig.class).run(context -> assertThat(context).hasNotFailed());
    runner.withUserConfiguration(OwnAspect.class).run(context -> assertThat(context).hasNotFailed());

    assertThat(output).doesNotContain("not eligible for getting processed by all BeanPostProcessors");
  }

  @Test
  void anInvalidAnnotationStopsStartUpNamingTheMethod() {
    runner.withUserConfiguration(BadAnnotationConfig.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidMeterAnnotationException.class)
          .hasMessageContaining("BadGreeter").hasMessageContaining("greet").hasMessageContaining("extraTags");
    });
  }

  static class Greeter {
    @Timed("greetings")
    public String greet() {
      return "hello";
    }
  }

  static class BadGreeter {
    @Timed(value = "greetings", extraTags = {"odd"})
    public String greet() {
      return "hello";
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class AnnotatedBeanConfig {
    @Bean
    Greeter greeter() {
      return new Greeter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class BadAnnotationConfig {
    @Bean
    BadGreeter badGreeter() {
      return new BadGreeter();
    }
  }

  /** A post-processor of the application's own, as ordinary as they come: no order, no role. */
  static class SeenBeans implements BeanPostProcessor {
    final Set<String> names = ConcurrentHashMap.newKeySet();

    @Override public Object postProcessBeforeInitialization(Object bean, String beanName) {
      names.add(beanName);
      return bean;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoRegistries {
    @Bean
    Registry first() {
      return new DefaultRegistry();
    }

    @Bean
    Registry second() {
      return new DefaultRegistry();
    }
  }

  /** An aspect of the application's own, declared as docs/annotations.md shows. */
  @Configuration(proxyBeanMethods = false)
  static class OwnAspect {
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static TimedAspect myTimedAspect(ObjectProvider<Registry> registry) {
      return new TimedAspect(registry::getObject);
    }
  }
}
