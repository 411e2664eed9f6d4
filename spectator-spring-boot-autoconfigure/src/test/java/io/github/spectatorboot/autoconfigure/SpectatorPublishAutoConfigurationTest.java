package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.spectatorboot.actuate.SpectatorHealthIndicator;
import io.github.spectatorboot.publish.AtlasPublisher;
import io.github.spectatorboot.publish.PublisherConfig;
import io.github.spectatorboot.publish.StepPoller;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

class SpectatorPublishAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SpectatorAutoConfiguration.class, SpectatorPublishAutoConfiguration.class,
          SpectatorHealthAutoConfiguration.class))
      .withPropertyValues("spectator.global-registry.enabled=false", "spectator.jvm.enabled=false");

  @Test
  void createsAPublisherAndItsHealthContributorByDefault() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(AtlasPublisher.class).hasSingleBean(SpectatorHealthIndicator.class)
          .doesNotHaveBean(StepPoller.class);
      assertThat(context.getBean(AtlasPublisher.class).format()).isEqualTo(PublisherConfig.Format.PUBLISH);
    });
  }

  @Test
  void aPinnedSendOffsetReachesThePublisher() {
    runner.withPropertyValues("spectator.publish.send-offset=42s").run(context ->
        assertThat(context.getBean(AtlasPublisher.class).sendOffset()).isEqualTo(java.time.Duration.ofSeconds(42)));
  }

  @Test
  void bodiesAreSmileUnlessJsonIsAskedFor() {
    runner.run(context -> assertThat(context.getBean(AtlasPublisher.class).encoding())
        .isEqualTo(io.github.spectatorboot.publish.PublisherConfig.Encoding.SMILE));
    runner.withPropertyValues("spectator.publish.encoding=json").run(context ->
        assertThat(context.getBean(AtlasPublisher.class).encoding())
            .isEqualTo(io.github.spectatorboot.publish.PublisherConfig.Encoding.JSON));
  }

  @Test
  void anUnknownEncodingStopsStartUpNamingTheProperty() {
    runner.withPropertyValues("spectator.publish.encoding=xml").run(context -> {
      assertThat(context).hasFailed();
      // Boot's BindFailureAnalyzer turns this into "Property: spectator.publish.encoding, Value:
      // xml" and lists the valid values
      Throwable t = context.getStartupFailure();
      while (t != null && !(t instanceof org.springframework.boot.context.properties.bind.BindException)) {
        t = t.getCause();
      }
      assertThat(t).isNotNull();
      var bind = (org.springframework.boot.context.properties.bind.BindException) t;
      assertThat(bind.getProperty().getName()).hasToString("spectator.publish.encoding");
      assertThat(bind.getProperty().getValue()).isEqualTo("xml");
    });
  }

  @Test
  void withoutAPinnedSendOffsetThePublisherSendsWithinTheMiddleOfTheStep() {
    runner.run(context -> assertThat(context.getBean(AtlasPublisher.class).sendOffset())
        .isBetween(java.time.Duration.ofSeconds(6), java.time.Duration.ofSeconds(54)));
  }

  @Test
  void picksTheAggregatorFormatFromTheUri() {
    runner.withPropertyValues("spectator.uri=http://127.0.0.1:1/api/v4/update").run(context ->
        assertThat(context.getBean(AtlasPublisher.class).format()).isEqualTo(PublisherConfig.Format.AGGREGATOR));
  }

  @Test
  void withPublishingDisabledOnlyAPollerRollsTheStepsOver() {
    runner.withPropertyValues("spectator.publish.enabled=false").run(context ->
        assertThat(context).hasSingleBean(StepPoller.class).doesNotHaveBean(AtlasPublisher.class)
            .doesNotHaveBean(SpectatorHealthIndicator.class));
  }

  @Test
  void theHealthContributorCanBeDisabled() {
    runner.withPropertyValues("management.health.spectator.enabled=false").run(context ->
        assertThat(context).hasSingleBean(AtlasPublisher.class).doesNotHaveBean(SpectatorHealthIndicator.class));
  }

  @Test
  void healthIsUnknownBeforeTheFirstPublishNeverDown() {
    runner.run(context -> {
      var health = context.getBean(SpectatorHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
      assertThat(health.getDetails()).containsEntry("uri", "http://localhost:7101/api/v1/publish")
          .containsEntry("state", "RUNNING");
    });
  }

  @Test
  void thePublisherUsesTheApplicationsWebClientBuilderAndFlushesWhenTheContextCloses() throws Exception {
    try (MockWebServer atlas = new MockWebServer()) {
      atlas.enqueue(new MockResponse.Builder().code(200).build());
      atlas.start(java.net.InetAddress.getLoopbackAddress(), 0);
      String uri = "http://127.0.0.1:" + atlas.getPort() + "/api/v1/publish";
      runner.withUserConfiguration(CustomWebClientBuilder.class)
          .withPropertyValues("spectator.uri=" + uri)
          .run(context -> context.getBean(com.netflix.spectator.api.Registry.class).counter("orders").increment());

      RecordedRequest request = atlas.takeRequest(10, TimeUnit.SECONDS);
      assertThat(request).isNotNull();
      assertThat(request.getHeaders().get("X-Customized")).isEqualTo("by-the-application");
      assertThat(request.getHeaders().get("Content-Encoding")).isEqualTo("gzip");
    }
  }

  @Test
  void theWebClientBuilderIsAskedForOnceThePublisherHasStartedNotWhileTheBeansAreCreated() {
    CountDownLatch asked = new CountDownLatch(1);
    AtomicLong askedWhenThePublisherWasCreated = new AtomicLong(-1);
    runner.withBean("webClientBuilder", WebClient.Builder.class, () -> {
          asked.countDown();
          return WebClient.builder();
        }, definition -> definition.setScope(BeanDefinition.SCOPE_PROTOTYPE))
        .withBean("publisherWatch", BeanPostProcessor.class, () -> new BeanPostProcessor() {
          @Override public Object postProcessAfterInitialization(Object bean, String name) {
            if (bean instanceof AtlasPublisher) {
              askedWhenThePublisherWasCreated.set(1 - asked.getCount());
            }
            return bean;
          }
        })
        .run(context -> {
          assertThat(askedWhenThePublisherWasCreated).hasValue(0);
          assertThat(asked.await(10, TimeUnit.SECONDS)).as("asked once started").isTrue();
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomWebClientBuilder {
    @Bean
    WebClient.Builder webClientBuilder() {
      return WebClient.builder().defaultHeader("X-Customized", "by-the-application");
    }
  }
}
