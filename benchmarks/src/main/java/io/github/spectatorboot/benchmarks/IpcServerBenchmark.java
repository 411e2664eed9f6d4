package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.ipc.IpcLogEntry;
import com.netflix.spectator.ipc.IpcLogger;
import io.github.spectatorboot.autoconfigure.MeterObservationHandlerWithoutHttp;
import io.github.spectatorboot.ipc.WebFluxServerIpcObservationHandler;
import io.github.spectatorboot.registry.StepRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;

/**
 * Cost per request of server-side request metrics on one WebFlux application: the same
 * {@code @RestController} route ({@code GET /orders/{id}}) served in-process through Spring's full
 * handler chain ({@code HttpWebHandlerAdapter}, {@code DispatcherHandler}, handler mapping,
 * argument resolution, encoding into a mock response), with no network, so that the noise is
 * smaller than the differences. Side by side:
 *
 * <ul>
 *   <li>{@code none}: no observation registry, nothing measured;
 *   <li>{@code micrometer}: Boot's default without this starter, Micrometer's
 *       {@code DefaultMeterObservationHandler} recording {@code http.server.requests};
 *   <li>{@code ipc}: the starter's default, our {@link WebFluxServerIpcObservationHandler}
 *       recording {@code ipc.server.call} into a {@link StepRegistry}, Micrometer's handler still
 *       registered, but wrapped as the starter wraps it ({@link MeterObservationHandlerWithoutHttp})
 *       so that it leaves the HTTP observations alone, and its registry denying
 *       {@code http.server.requests} through the starter's {@link MeterFilter};
 *   <li>{@code ipcOnly}: our handler alone on the observation registry (Micrometer's handler absent);
 *   <li>{@code ipcWebFilter}: the alternative design, a {@link WebFilter} of our own writing the
 *       same {@link IpcLogEntry} without any observation.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar IpcServerBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class IpcServerBenchmark {

  private AnnotationConfigApplicationContext context;
  private SimpleMeterRegistry micrometerRegistry;
  private StepRegistry ipcRegistry;
  private StepRegistry ipcOnlyRegistry;
  private StepRegistry filterRegistry;
  private HttpHandler none;
  private HttpHandler micrometer;
  private HttpHandler ipc;
  private HttpHandler ipcOnly;
  private HttpHandler ipcWebFilter;

  @Setup
  public void setUp() {
    context = new AnnotationConfigApplicationContext(App.class);

    none = WebHttpHandlerBuilder.applicationContext(context).build();

    micrometerRegistry = new SimpleMeterRegistry();
    micrometer = handler(observations(micrometerRegistry));

    ipcRegistry = new StepRegistry();
    MeterRegistry denied = new SimpleMeterRegistry();
    denied.config().meterFilter(MeterFilter.denyNameStartsWith("http.server.requests"));
    // as the starter configures Boot's handler: it no longer sees the HTTP requests IPC measures
    ObservationRegistry both = ObservationRegistry.create();
    both.observationConfig().observationHandler(
        new MeterObservationHandlerWithoutHttp(new DefaultMeterObservationHandler(denied), true, true));
    both.observationConfig().observationHandler(
        new WebFluxServerIpcObservationHandler(ipcRegistry, new IpcLogger(ipcRegistry)));
    ipc = handler(both);

    ipcOnlyRegistry = new StepRegistry();
    ObservationRegistry alone = ObservationRegistry.create();
    alone.observationConfig().observationHandler(
        new WebFluxServerIpcObservationHandler(ipcOnlyRegistry, new IpcLogger(ipcOnlyRegistry)));
    ipcOnly = handler(alone);

    filterRegistry = new StepRegistry();
    ipcWebFilter = WebHttpHandlerBuilder.applicationContext(context)
        .filter(new IpcWebFilter(new IpcLogger(filterRegistry))).build();
  }

  private static ObservationRegistry observations(MeterRegistry meters) {
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    return registry;
  }

  private HttpHandler handler(ObservationRegistry observations) {
    return WebHttpHandlerBuilder.applicationContext(context).observationRegistry(observations).build();
  }

  /** Fails the run if the variant under test recorded nothing, or recorded the raw path. */
  @TearDown
  public void checkWhatWasRecorded(BenchmarkParams params) {
    String benchmark = params.getBenchmark();
    boolean recorded;
    if (benchmark.endsWith(".micrometer")) {
      recorded = micrometerRegistry.find("http.server.requests").tag("uri", "/orders/{id}").timers().stream()
          .anyMatch(t -> t.count() > 0);
    } else if (benchmark.endsWith(".ipc")) {
      recorded = recordedRoute(ipcRegistry);
    } else if (benchmark.endsWith(".ipcOnly")) {
      recorded = recordedRoute(ipcOnlyRegistry);
    } else if (benchmark.endsWith(".ipcWebFilter")) {
      recorded = recordedRoute(filterRegistry);
    } else {
      recorded = true;
    }
    context.close();
    if (!recorded) {
      throw new IllegalStateException(benchmark + ": nothing was recorded for /orders/{id}");
    }
  }

  private static boolean recordedRoute(StepRegistry registry) {
    // the timer exists only once a request was recorded, and only under the route's template
    return registry.stream().anyMatch(m -> m.id().name().equals("ipc.server.call")
        // the registry keeps tag values as Atlas accepts them: /orders/{id} becomes _orders__id_
        && "_orders__id_".equals(com.netflix.spectator.api.Utils.getTagValue(m.id(), "ipc.endpoint")));
  }

  private static Object serve(HttpHandler handler) {
    MockServerHttpRequest request = MockServerHttpRequest.get("/orders/42").build();
    MockServerHttpResponse response = new MockServerHttpResponse();
    handler.handle(request, response).block();
    return response.getStatusCode();
  }

  @Benchmark
  public Object none() {
    return serve(none);
  }

  @Benchmark
  public Object micrometer() {
    return serve(micrometer);
  }

  @Benchmark
  public Object ipc() {
    return serve(ipc);
  }

  @Benchmark
  public Object ipcOnly() {
    return serve(ipcOnly);
  }

  @Benchmark
  public Object ipcWebFilter() {
    return serve(ipcWebFilter);
  }

  /** The alternative design: a filter of our own, which sees the route only after the handler ran. */
  static final class IpcWebFilter implements WebFilter {

    private final IpcLogger logger;

    IpcWebFilter(IpcLogger logger) {
      this.logger = logger;
    }

    @Override public Mono<Void> filter(org.springframework.web.server.ServerWebExchange exchange,
        org.springframework.web.server.WebFilterChain chain) {
      IpcLogEntry entry = logger.createServerEntry().withOwner("spring-webflux")
          .withHttpMethod(exchange.getRequest().getMethod().name()).markStart();
      return chain.filter(exchange).doFinally(signal -> {
        Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        var status = exchange.getResponse().getStatusCode();
        entry.withEndpoint(pattern == null ? "unknown" : pattern.toString())
            .withHttpStatus(status == null ? 200 : status.value())
            .log();
      });
    }
  }

  /** A WebFlux application with one route. */
  @Configuration(proxyBeanMethods = false)
  @EnableWebFlux
  static class App {

    @Bean
    Orders orders() {
      return new Orders();
    }
  }

  @RestController
  static class Orders {

    @GetMapping("/orders/{id}")
    Mono<String> order(@PathVariable String id) {
      return Mono.just("order " + id);
    }
  }
}
