package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.DefaultRegistry;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.ipc.IpcLogger;
import io.github.spectatorboot.ipc.MvcServerIpcObservationHandler;
import io.github.spectatorboot.ipc.RestClientIpcObservationHandler;
import io.github.spectatorboot.ipc.WebClientIpcObservationHandler;
import io.github.spectatorboot.ipc.WebFluxServerIpcObservationHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.web.reactive.function.client.ClientRequest;

class SpectatorIpcAutoConfigurationTest {

  private static final AutoConfigurations CONFIGS = AutoConfigurations.of(SpectatorAutoConfiguration.class,
      SpectatorIpcAutoConfiguration.class);
  private static final String[] QUIET = {"spectator.global-registry.enabled=false"};

  private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
      .withConfiguration(CONFIGS).withPropertyValues(QUIET);
  private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
      .withConfiguration(CONFIGS).withPropertyValues(QUIET);

  @Test
  void aServletApplicationGetsTheMvcServerHandlerAndBothClientHandlers() {
    servlet.run(context -> assertThat(context).hasSingleBean(IpcLogger.class)
        .hasSingleBean(MvcServerIpcObservationHandler.class)
        .doesNotHaveBean(WebFluxServerIpcObservationHandler.class)
        .hasSingleBean(RestClientIpcObservationHandler.class)
        .hasSingleBean(WebClientIpcObservationHandler.class));
  }

  @Test
  void aReactiveApplicationGetsTheWebFluxServerHandler() {
    reactive.run(context -> assertThat(context).hasSingleBean(WebFluxServerIpcObservationHandler.class)
        .doesNotHaveBean(MvcServerIpcObservationHandler.class));
  }

  @Test
  void theServerSideCanBeSwitchedOffAlone() {
    servlet.withPropertyValues("spectator.ipc.server.enabled=false").run(context -> assertThat(context)
        .doesNotHaveBean(MvcServerIpcObservationHandler.class)
        .hasSingleBean(RestClientIpcObservationHandler.class));
  }

  @Test
  void theClientSideCanBeSwitchedOffAlone() {
    servlet.withPropertyValues("spectator.ipc.client.enabled=false").run(context -> assertThat(context)
        .hasSingleBean(MvcServerIpcObservationHandler.class)
        .doesNotHaveBean(RestClientIpcObservationHandler.class)
        .doesNotHaveBean(WebClientIpcObservationHandler.class));
  }

  @Test
  void nothingIsMeasuredWhenTheStarterIsOff() {
    servlet.withPropertyValues("spectator.enabled=false").run(context -> assertThat(context)
        .doesNotHaveBean(IpcLogger.class).doesNotHaveBean(MvcServerIpcObservationHandler.class));
  }

  @Test
  void micrometersHttpMetersAreDeniedInAnyMeterRegistry() {
    servlet.run(context -> {
      MeterRegistry micrometer = new SimpleMeterRegistry();
      context.getBeansOfType(MeterFilter.class).values().forEach(micrometer.config()::meterFilter);
      micrometer.timer("http.server.requests", "uri", "/orders/{id}").record(java.time.Duration.ofMillis(1));
      micrometer.timer("http.client.requests", "uri", "/orders/{id}").record(java.time.Duration.ofMillis(1));
      micrometer.more().longTaskTimer("http.server.requests.active").start().stop();
      micrometer.timer("orders.placed").record(java.time.Duration.ofMillis(1));
      assertThat(micrometer.getMeters()).extracting(m -> m.getId().getName()).containsExactly("orders.placed");
    });
  }

  @Test
  void micrometersMeterHandlerNoLongerSeesTheHttpRequestsTheIpcMetricsMeasure() {
    reactive.withBean("defaultMeterObservationHandler", DefaultMeterObservationHandler.class,
        () -> new DefaultMeterObservationHandler(new SimpleMeterRegistry())).run(context -> {
          ObservationHandler<Observation.Context> handler = handler(context.getBean("defaultMeterObservationHandler"));
          assertThat(handler).isInstanceOf(MeterObservationHandler.class);
          assertThat(handler.supportsContext(serverRequest())).isFalse();
          assertThat(handler.supportsContext(clientRequest())).isFalse();
          assertThat(handler.supportsContext(new Observation.Context())).isTrue();
        });
  }

  @Test
  void micrometersMeterHandlerKeepsTheSideWhoseIpcMetricsAreOff() {
    reactive.withPropertyValues("spectator.ipc.client.enabled=false")
        .withBean("defaultMeterObservationHandler", DefaultMeterObservationHandler.class,
            () -> new DefaultMeterObservationHandler(new SimpleMeterRegistry())).run(context -> {
          ObservationHandler<Observation.Context> handler = handler(context.getBean("defaultMeterObservationHandler"));
          assertThat(handler.supportsContext(serverRequest())).isFalse();
          assertThat(handler.supportsContext(clientRequest())).isTrue();
        });
  }

  @Test
  void micrometersMeterHandlerIsLeftAloneWhenAskedForBoth() {
    reactive.withPropertyValues("spectator.ipc.keep-micrometer-http-metrics=true")
        .withBean("defaultMeterObservationHandler", DefaultMeterObservationHandler.class,
            () -> new DefaultMeterObservationHandler(new SimpleMeterRegistry()))
        .run(context -> assertThat(context.getBean("defaultMeterObservationHandler"))
            .isExactlyInstanceOf(DefaultMeterObservationHandler.class));
  }

  @SuppressWarnings("unchecked")
  private static ObservationHandler<Observation.Context> handler(Object bean) {
    return (ObservationHandler<Observation.Context>) bean;
  }

  private static Observation.Context serverRequest() {
    return new org.springframework.http.server.reactive.observation.ServerRequestObservationContext(
        MockServerHttpRequest.get("/orders/1").build(), new MockServerHttpResponse(), java.util.Map.of());
  }

  private static Observation.Context clientRequest() {
    return new org.springframework.web.reactive.function.client.ClientRequestObservationContext(
        ClientRequest.create(HttpMethod.GET, URI.create("http://127.0.0.1/orders/1")));
  }

  @Test
  void micrometersHttpMetersStayWhenAskedForBoth() {
    servlet.withPropertyValues("spectator.ipc.keep-micrometer-http-metrics=true")
        .run(context -> assertThat(context).doesNotHaveBean(MeterFilter.class));
  }

  @Test
  void onlyTheSwitchedOnSidesMicrometerMetersAreDenied() {
    servlet.withPropertyValues("spectator.ipc.client.enabled=false").run(context -> {
      MeterRegistry micrometer = new SimpleMeterRegistry();
      context.getBeansOfType(MeterFilter.class).values().forEach(micrometer.config()::meterFilter);
      micrometer.timer("http.server.requests").record(java.time.Duration.ofMillis(1));
      micrometer.timer("http.client.requests").record(java.time.Duration.ofMillis(1));
      assertThat(micrometer.getMeters()).extracting(m -> m.getId().getName()).containsExactly("http.client.requests");
    });
  }

  @Test
  void aUsersRegistryIsUsed() {
    servlet.withUserConfiguration(OwnRegistry.class).run(context ->
        assertThat(context.getBean(MvcServerIpcObservationHandler.class)).isNotNull());
  }

  @Test
  void thePublishersTargetIsRecognisedByHostPortAndPath() {
    var target = SpectatorIpcAutoConfiguration.publisherTarget(URI.create("http://atlas:7101/api/v1/publish"));
    assertThat(target.test(URI.create("http://atlas:7101/api/v1/publish"))).isTrue();
    assertThat(target.test(URI.create("http://atlas:7101/api/v1/publish?x=1"))).isTrue();
    assertThat(target.test(URI.create("http://atlas:7101/api/v1/graph"))).isFalse();
    assertThat(target.test(URI.create("http://atlas:7102/api/v1/publish"))).isFalse();
    assertThat(target.test(URI.create("http://other:7101/api/v1/publish"))).isFalse();
  }

  @Test
  void aNonPositiveCardinalityLimitStopsStartUpNamingTheProperty() {
    new ApplicationContextRunner().withConfiguration(CONFIGS)
        .withPropertyValues("spectator.ipc.cardinality-limit.ipc.endpoint=0")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .rootCause().hasMessageContaining("spectator.ipc.cardinality-limit.ipc.endpoint"));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistry {

    @Bean
    Registry registry() {
      return new DefaultRegistry();
    }
  }
}
