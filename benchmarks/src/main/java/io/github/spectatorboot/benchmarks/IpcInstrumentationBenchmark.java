package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.Utils;
import com.netflix.spectator.ipc.IpcLogEntry;
import com.netflix.spectator.ipc.IpcLogger;
import io.github.spectatorboot.autoconfigure.MeterObservationHandlerWithoutHttp;
import io.github.spectatorboot.ipc.MvcServerIpcObservationHandler;
import io.github.spectatorboot.ipc.WebFluxServerIpcObservationHandler;
import io.github.spectatorboot.registry.StepRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.util.http.MimeHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;

/**
 * Cost per request of the server-side instrumentation alone: the code Spring runs around a request
 * to observe it, and what the observation handlers do with the observation, without a socket,
 * without a handler mapping, without a body. Each request goes through the real Spring entry
 * point that owns the observation, with mock exchanges:
 *
 * <ul>
 *   <li>{@code webflux}: {@code HttpWebHandlerAdapter} (built by {@code WebHttpHandlerBuilder}) in
 *       front of a {@link WebHandler} that does what WebFlux's handler mapping does for a matched
 *       route (puts the route template on the observation context) and sets the status;
 *   <li>{@code mvc}: Spring's {@link ServerHttpObservationFilter} in a {@link MockFilterChain}
 *       whose servlet does the same as MVC's handler mapping and sets the status.
 * </ul>
 *
 * <p>Rows, each with its own {@link ObservationRegistry} on the same entry point:
 *
 * <ul>
 *   <li>{@code none}: {@link ObservationRegistry#NOOP}, Spring's default without Micrometer: the
 *       baseline, what the entry point, the mocks and the route cost;
 *   <li>{@code micrometer}: Boot without this starter, Micrometer's
 *       {@link DefaultMeterObservationHandler} recording {@code http.server.requests};
 *   <li>{@code ipc}: the starter's default, our handler recording {@code ipc.server.call} into a
 *       {@link StepRegistry}, Micrometer's handler still registered but wrapped as the starter
 *       wraps it ({@link MeterObservationHandlerWithoutHttp});
 *   <li>{@code observationOnly}: a handler that does nothing: the share of the observation itself
 *       (Spring's context, the convention's key values), paid by {@code micrometer} and {@code ipc} alike;
 *   <li>{@code ipcEntryOnly}: no observation; the {@link IpcLogEntry} our handler fills, created,
 *       filled and logged by hand around the same request: spectator-ext-ipc's share.
 * </ul>
 *
 * <p>What a row adds is its time minus {@code none}'s in the same run; the target is that
 * {@code ipc} adds no more than {@code micrometer}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main IpcInstrumentationBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class IpcInstrumentationBenchmark {

  /** The route the request matched, as the handler mapping puts it on the observation context. */
  private static final String ROUTE = "/orders/{id}";

  /** What a browser or HTTP client sends with a GET: no Netflix headers. */
  private static final Map<String, String> REQUEST_HEADERS = Map.of(
      "Host", "127.0.0.1:8080", "Accept", "application/json", "User-Agent", "ReactorNetty/1.3.6");

  @Param({"webflux", "mvc"})
  public String stack;

  private SimpleMeterRegistry micrometerRegistry;
  private StepRegistry ipcRegistry;
  private StepRegistry entryRegistry;
  private IpcLogger entryLogger;
  private Server none;
  private Server micrometer;
  private Server ipc;
  private Server observationOnly;
  private Server ipcEntryOnly;

  /** One request served through the stack's observing entry point; returns the response status. */
  @FunctionalInterface
  interface Server {
    int serve();
  }

  @Setup
  public void setUp() {
    none = server(ObservationRegistry.NOOP);

    micrometerRegistry = new SimpleMeterRegistry();
    ObservationRegistry withMicrometer = ObservationRegistry.create();
    withMicrometer.observationConfig().observationHandler(new DefaultMeterObservationHandler(micrometerRegistry));
    micrometer = server(withMicrometer);

    // as the starter configures Boot's registry: Micrometer's handler wrapped so that it leaves the
    // HTTP observations to ours, its registry denying http.server.requests, our handler beside it
    ipcRegistry = new StepRegistry();
    MeterRegistry denied = new SimpleMeterRegistry();
    denied.config().meterFilter(MeterFilter.denyNameStartsWith("http.server.requests"));
    ObservationRegistry withIpc = ObservationRegistry.create();
    withIpc.observationConfig().observationHandler(
        new MeterObservationHandlerWithoutHttp(new DefaultMeterObservationHandler(denied), true, true));
    IpcLogger logger = new IpcLogger(ipcRegistry);
    withIpc.observationConfig().observationHandler("mvc".equals(stack)
        ? new MvcServerIpcObservationHandler(ipcRegistry, logger)
        : new WebFluxServerIpcObservationHandler(ipcRegistry, logger));
    ipc = server(withIpc);

    ObservationRegistry idle = ObservationRegistry.create();
    idle.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override public boolean supportsContext(Observation.Context context) {
        return true;
      }
    });
    observationOnly = server(idle);

    entryRegistry = new StepRegistry();
    entryLogger = new IpcLogger(entryRegistry);
    Server plain = server(ObservationRegistry.NOOP);
    ipcEntryOnly = () -> {
      // what our handler does with an entry, without the observation around it
      IpcLogEntry entry = entryLogger.createServerEntry().withOwner("benchmark").withHttpMethod("GET").markStart();
      int status = plain.serve();
      entry.withEndpoint(ROUTE).withHttpStatus(status).log();
      return status;
    };
  }

  /** The rows by name, in the order of the table; after {@link #setUp()}. */
  java.util.Map<String, Server> rows() {
    java.util.Map<String, Server> rows = new java.util.LinkedHashMap<>();
    rows.put("none", none);
    rows.put("observationOnly", observationOnly);
    rows.put("micrometer", micrometer);
    rows.put("ipcEntryOnly", ipcEntryOnly);
    rows.put("ipc", ipc);
    return rows;
  }

  private Server server(ObservationRegistry observations) {
    return "mvc".equals(stack) ? mvc(observations) : webflux(observations);
  }

  private static Server webflux(ObservationRegistry observations) {
    WebHandler route = exchange -> {
      ServerRequestObservationContext.findCurrent(exchange.getAttributes()).ifPresent(c -> c.setPathPattern(ROUTE));
      exchange.getResponse().setStatusCode(HttpStatus.OK);
      return Mono.empty();
    };
    HttpHandler handler = WebHttpHandlerBuilder.webHandler(route).observationRegistry(observations).build();
    return () -> {
      MockServerHttpResponse response = new MockServerHttpResponse();
      handler.handle(nettyRequest(), response).block();
      return response.getStatusCode().value();
    };
  }

  /**
   * A request whose headers are Netty's, as Reactor Netty's server hands them to Spring: a lookup
   * by name allocates nothing there, while the mock's own header map lower-cases every name looked
   * up (5 Netflix headers: 304 bytes per request that no real server allocates).
   */
  private static ServerHttpRequest nettyRequest() {
    DefaultHttpHeaders netty = new DefaultHttpHeaders();
    REQUEST_HEADERS.forEach(netty::add);
    HttpHeaders headers = new HttpHeaders(new Netty4HeadersAdapter(netty));
    return new ServerHttpRequestDecorator(MockServerHttpRequest.get("/orders/42").build()) {
      @Override public HttpHeaders getHeaders() {
        return headers;
      }
    };
  }

  /** A request whose headers are Tomcat's {@link MimeHeaders}, looked up as Tomcat does, without allocating. */
  private static HttpServletRequest tomcatRequest() {
    MimeHeaders tomcat = new MimeHeaders();
    REQUEST_HEADERS.forEach((name, value) -> tomcat.addValue(name).setString(value));
    return new HttpServletRequestWrapper(new MockHttpServletRequest("GET", "/orders/42")) {
      @Override public String getHeader(String name) {
        return tomcat.getHeader(name);
      }
    };
  }

  private static Server mvc(ObservationRegistry observations) {
    ServerHttpObservationFilter filter = new ServerHttpObservationFilter(observations);
    HttpServlet route = new HttpServlet() {
      @Override protected void service(HttpServletRequest request, HttpServletResponse response) {
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(c -> c.setPathPattern(ROUTE));
        response.setStatus(200);
      }
    };
    return () -> {
      HttpServletRequest request = tomcatRequest();
      MockHttpServletResponse response = new MockHttpServletResponse();
      try {
        filter.doFilter(request, response, new MockFilterChain(route));
      } catch (IOException | jakarta.servlet.ServletException e) {
        throw new IllegalStateException(e);
      }
      return response.getStatus();
    };
  }

  /** Fails the run if the row under test recorded nothing, or recorded something else than the route. */
  @TearDown
  public void checkWhatWasRecorded(BenchmarkParams params) {
    check(params.getBenchmark());
  }

  /** Fails if any of the rows that record recorded nothing for the route. */
  void checkEveryRowRecorded() {
    for (String row : List.of(".micrometer", ".ipc", ".ipcEntryOnly")) {
      check(row);
    }
  }

  private void check(String benchmark) {
    boolean recorded;
    if (benchmark.endsWith(".micrometer")) {
      recorded = micrometerRegistry.find("http.server.requests").tag("uri", ROUTE).timers().stream()
          .anyMatch(t -> t.count() > 0);
    } else if (benchmark.endsWith(".ipc")) {
      recorded = recordedRoute(ipcRegistry);
    } else if (benchmark.endsWith(".ipcEntryOnly")) {
      recorded = recordedRoute(entryRegistry);
    } else {
      recorded = true;
    }
    if (!recorded) {
      throw new IllegalStateException(benchmark + " (" + stack + "): nothing was recorded for " + ROUTE);
    }
  }

  private static boolean recordedRoute(StepRegistry registry) {
    // the registry keeps tag values as Atlas accepts them: /orders/{id} becomes _orders__id_
    return registry.stream().anyMatch(m -> m.id().name().equals("ipc.server.call")
        && "_orders__id_".equals(Utils.getTagValue(m.id(), "ipc.endpoint")));
  }

  @Benchmark
  public int none() {
    return none.serve();
  }

  @Benchmark
  public int micrometer() {
    return micrometer.serve();
  }

  @Benchmark
  public int ipc() {
    return ipc.serve();
  }

  @Benchmark
  public int observationOnly() {
    return observationOnly.serve();
  }

  @Benchmark
  public int ipcEntryOnly() {
    return ipcEntryOnly.serve();
  }
}
