package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DefaultRegistry;
import com.netflix.spectator.api.NoopRegistry;
import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.actuate.SpectatorEndpoint;
import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import io.github.spectatorboot.aop.CountedAspect;
import io.github.spectatorboot.aop.MeterAnnotationValidator;
import io.github.spectatorboot.aop.TimedAspect;
import io.github.spectatorboot.publish.AtlasPublisher;
import io.github.spectatorboot.publish.StepPoller;
import io.github.spectatorboot.registry.StepRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code spectator.enabled=false}: the application starts with a registry that records nothing. */
class SpectatorDisabledTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, SpectatorAutoConfiguration.class,
          SpectatorNoopRegistryAutoConfiguration.class, SpectatorJvmMetricsAutoConfiguration.class,
          SpectatorAspectsAutoConfiguration.class, SpectatorPublishAutoConfiguration.class,
          SpectatorHealthAutoConfiguration.class, SpectatorEndpointAutoConfiguration.class))
      .withUserConfiguration(Application.class)
      .withPropertyValues("spectator.enabled=false");

  @Test
  void beansThatInjectARegistryGetSpectatorsNoopRegistry() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(Registry.class).doesNotHaveBean(StepRegistry.class);
      Registry registry = context.getBean(Registry.class);
      assertThat(registry).isInstanceOf(NoopRegistry.class);
      assertThat(context.getBean(Orders.class).registry).isSameAs(registry);
    });
  }

  @Test
  void nothingIsRecordedPublishedOrServed() {
    runner.run(context -> {
      assertThat(context).doesNotHaveBean(AtlasPublisher.class).doesNotHaveBean(StepPoller.class)
          .doesNotHaveBean(SpectatorEndpoint.class).doesNotHaveBean(JvmMetrics.class)
          .doesNotHaveBean(GlobalRegistryBinding.class).doesNotHaveBean(SpectatorProperties.class);
      Orders orders = context.getBean(Orders.class);
      orders.rejected.increment();
      assertThat(orders.rejected.count()).isZero();
      assertThat(context.getBean(Registry.class).stream()).isEmpty();
    });
  }

  @Test
  void theAnnotationsDoNothing() {
    runner.run(context -> {
      assertThat(context).doesNotHaveBean(TimedAspect.class).doesNotHaveBean(CountedAspect.class)
          .doesNotHaveBean(MeterAnnotationValidator.class);
      Orders orders = context.getBean(Orders.class);
      assertThat(AopUtils.isAopProxy(orders)).isFalse();
      assertThat(orders.place("book")).isEqualTo("placed book");
    });
  }

  @Test
  void anApplicationsOwnRegistryIsKept() {
    runner.withBean("myRegistry", Registry.class, DefaultRegistry::new).run(context -> {
      assertThat(context).hasSingleBean(Registry.class).hasBean("myRegistry");
      assertThat(context.getBean(Registry.class)).isInstanceOf(DefaultRegistry.class);
    });
  }

  @Test
  void aBootApplicationThatInjectsARegistryStartsWhenTheStarterIsDisabled() {
    SpringApplication app = new SpringApplication(BootApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    try (ConfigurableApplicationContext context = app.run("--spectator.enabled=false")) {
      assertThat(context.getBean(Orders.class).registry).isInstanceOf(NoopRegistry.class);
      assertThat(context.getBeansOfType(Registry.class)).hasSize(1);
      assertThat(context.getBeansOfType(AtlasPublisher.class)).isEmpty();
      assertThat(AopUtils.isAopProxy(context.getBean(Orders.class))).isFalse();
    }
  }

  /** A service as the README shows it: it injects the registry and has an annotated method. */
  static class Orders {
    final Registry registry;
    final Counter rejected;

    Orders(Registry registry) {
      this.registry = registry;
      this.rejected = registry.counter("orders.rejected");
    }

    @Timed("orders.placed")
    @Counted("orders.attempts")
    public String place(String item) {
      return "placed " + item;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Application {
    @Bean
    Orders orders(Registry registry) {
      return new Orders(registry);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class BootApplication {
    @Bean
    Orders orders(Registry registry) {
      return new Orders(registry);
    }
  }
}
