package io.github.spectatorboot.ipc;

import static io.github.spectatorboot.ipc.IpcMeters.awaitTrue;
import static io.github.spectatorboot.ipc.IpcMeters.closedPort;
import static io.github.spectatorboot.ipc.IpcMeters.counts;
import static io.github.spectatorboot.ipc.IpcMeters.tags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.netflix.spectator.api.DefaultRegistry;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.ipc.IpcMetric;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * A WebFlux application on a random port that calls itself with a {@code WebClient} from Boot's
 * builder: every outcome, counted per exact tag set on both sides, and checked by Spectator's own
 * {@link IpcMetric#validate(Registry, boolean)}. One application serves every test; each test
 * counts only its own routes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IpcWebFluxTest {

  private static final String SERVER = WebFluxServerIpcObservationHandler.OWNER;
  private static final String CLIENT = WebClientIpcObservationHandler.OWNER;

  private final ManualClock clock = new ManualClock();
  private final Registry registry = new DefaultRegistry(clock);
  private final Sinks.Empty<Void> streamRelease = Sinks.empty();
  private DisposableServer atlas;
  private ConfigurableApplicationContext app;
  private String base;
  private WebClient client;

  @BeforeAll
  void start() {
    // stands in for Atlas: the publisher's target, which the client side must never measure
    atlas = HttpServer.create().host("127.0.0.1").port(0)
        .handle((req, res) -> res.sendString(Mono.just("ok"))).bindNow();
    app = new SpringApplicationBuilder(App.class)
        .initializers(context -> context.getBeanFactory().registerSingleton("testRegistry", registry))
        .initializers(context -> context.getBeanFactory().registerSingleton("streamRelease", streamRelease))
        .run("--server.port=0", "--server.address=127.0.0.1", "--spring.main.web-application-type=reactive",
            "--spectator.uri=http://127.0.0.1:" + atlas.port() + "/api/v1/publish",
            "--spectator.publish.enabled=false", "--spectator.jvm.enabled=false", "--spectator.global-registry.enabled=false",
            "--spectator.common-tags.nf.app=shop", "--spectator.common-tags.nf.cluster=shop-main",
            "--logging.level.reactor.netty=ERROR", "--logging.level.org.springframework.boot.webflux=OFF");
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    client = app.getBean(WebClient.Builder.class).build();
  }

  @AfterAll
  void stop() {
    app.close();
    atlas.disposeNow();
  }

  private HttpStatus get(String template, Object... vars) {
    return client.get().uri(base + template, vars)
        .exchangeToMono(r -> r.releaseBody().thenReturn(HttpStatus.valueOf(r.statusCode().value())))
        .block(Duration.ofSeconds(10));
  }

  private static Map<String, String> server(String endpoint, String status, String httpStatus, String... more) {
    Map<String, String> tags = tags("owner", SERVER, "ipc.endpoint", endpoint, "http.method", "get",
        "ipc.status", status, "ipc.result", "success".equals(status) ? "success" : "failure",
        // from the Netflix-ASG header the application's own WebClient sent (nf.cluster)
        "ipc.client.app", "shop", "ipc.client.cluster", "shop-main", "ipc.client.asg", "shop-main");
    // Spectator tags a request without a status (cancelled, no connection) http.status=-1
    tags.put("http.status", httpStatus == null ? "-1" : httpStatus);
    tags.putAll(tags(more));
    return tags;
  }

  private static Map<String, String> client(String endpoint, String status, String httpStatus, String... more) {
    Map<String, String> tags = tags("owner", CLIENT, "ipc.endpoint", endpoint, "http.method", "get",
        "ipc.status", status, "ipc.result", "success".equals(status) ? "success" : "failure",
        "ipc.attempt", "initial", "ipc.attempt.final", "true");
    tags.put("http.status", httpStatus == null ? "-1" : httpStatus);
    tags.putAll(tags(more));
    return tags;
  }

  @Test
  void everyServedRequestAndEveryWebClientCallIsOneIpcEntryWithTheSpecsTags() {
    assertThat(get("/orders/{id}", 1)).isEqualTo(HttpStatus.OK);
    assertThat(get("/orders/{id}", 2)).isEqualTo(HttpStatus.OK);
    assertThat(get("/orders/{id}/invalid", 3)).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(get("/orders/{id}/broken", 4)).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    assertThat(get("/orders/{id}/throws", 5)).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    // no template: the raw path is not a tag
    assertThat(client.get().uri(URI.create(base + "/no/such/route/6")).exchangeToMono(r -> r.releaseBody()
        .thenReturn(r.statusCode().value())).block(Duration.ofSeconds(10))).isEqualTo(404);
    // the client gives up after 300 ms: a timeout for the client, a cancelled request for the server
    WebClient impatient = app.getBean(WebClient.Builder.class)
        .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(Duration.ofMillis(300))))
        .build();
    assertThatThrownBy(() -> impatient.get().uri(base + "/orders/{id}/slow", 7).retrieve().toBodilessEntity()
        .block(Duration.ofSeconds(10))).hasRootCauseInstanceOf(io.netty.handler.timeout.ReadTimeoutException.class);
    int closed = closedPort();
    assertThatThrownBy(() -> client.get().uri("http://127.0.0.1:" + closed + "/orders/{id}", 8).retrieve()
        .toBodilessEntity().block(Duration.ofSeconds(10))).hasRootCauseInstanceOf(java.net.ConnectException.class);

    Set<String> routes = Set.of("/orders/{id}", "/orders/{id}/invalid", "/orders/{id}/broken", "/orders/{id}/throws",
        "/orders/{id}/slow", "unknown");
    awaitTrue("the cancelled request", () -> counts(registry, "ipc.server.call", SERVER, routes::contains).size() == 6);
    assertThat(counts(registry, "ipc.server.call", SERVER, routes::contains)).containsExactlyInAnyOrderEntriesOf(Map.of(
        server("/orders/{id}", "success", "200"), 2L,
        server("/orders/{id}/invalid", "bad_request", "400", "ipc.status.detail", "ResponseStatusException"), 1L,
        server("/orders/{id}/broken", "unexpected_error", "500"), 1L,
        server("/orders/{id}/throws", "unexpected_error", "500", "ipc.status.detail", "UnsupportedOperationException"), 1L,
        // matched only the static resource handler's /**
        server("unknown", "success", "404", "ipc.status.detail", "NoResourceFoundException"), 1L,
        server("/orders/{id}/slow", "cancelled", null), 1L));
    // a WebClient observation stops after the caller has seen the outcome (doFinally)
    awaitTrue("eight client calls", () -> IpcMeters.sum(counts(registry, "ipc.client.call", CLIENT, routes::contains)) == 8);
    assertThat(counts(registry, "ipc.client.call", CLIENT, routes::contains)).containsExactlyInAnyOrderEntriesOf(Map.of(
        client("/orders/{id}", "success", "200"), 2L,
        client("/orders/{id}/invalid", "bad_request", "400"), 1L,
        client("/orders/{id}/broken", "unexpected_error", "500"), 1L,
        client("/orders/{id}/throws", "unexpected_error", "500"), 1L,
        client("unknown", "success", "404"), 1L,
        client("/orders/{id}/slow", "timeout", null, "ipc.status.detail", "ReadTimeoutException"), 1L,
        client("/orders/{id}", "connection_error", null, "ipc.status.detail", "AnnotatedConnectException"), 1L));
    IpcMetric.validate(registry, true);
  }

  @Test
  void aWebClientCallRetriedByReactorIsOneEntryPerAttemptNumberedByIpcAttempts() {
    Set<String> routes = Set.of("/flaky/{id}", "/steady/{id}");
    assertThatThrownBy(() -> client.get().uri(base + "/flaky/{id}", 1).attribute(IpcAttempts.ATTRIBUTE, IpcAttempts.upTo(3))
        .retrieve().toBodilessEntity().retryWhen(Retry.max(2)).block(Duration.ofSeconds(10)))
        .hasRootCauseInstanceOf(WebClientResponseException.ServiceUnavailable.class);
    assertThat(client.get().uri(base + "/steady/{id}", 2).attribute(IpcAttempts.ATTRIBUTE, IpcAttempts.upTo(3))
        .retrieve().toBodilessEntity().block(Duration.ofSeconds(10)).getStatusCode().value()).isEqualTo(200);

    awaitTrue("four client calls", () -> IpcMeters.sum(counts(registry, "ipc.client.call", CLIENT, routes::contains)) == 4);
    assertThat(counts(registry, "ipc.client.call", CLIENT, routes::contains)).containsExactlyInAnyOrderEntriesOf(Map.of(
        client("/flaky/{id}", "throttled", "503", "ipc.attempt", "initial", "ipc.attempt.final", "false"), 1L,
        client("/flaky/{id}", "throttled", "503", "ipc.attempt", "second", "ipc.attempt.final", "false"), 1L,
        client("/flaky/{id}", "throttled", "503", "ipc.attempt", "third_up", "ipc.attempt.final", "true"), 1L,
        client("/steady/{id}", "success", "200"), 1L));
    IpcMetric.validate(registry, true);
  }

  @Test
  void aStreamedResponseIsTimedUntilItsLastElementIsWritten() {
    Flux<String> body = client.get().uri(base + "/orders/{id}/stream", 9).retrieve().bodyToFlux(String.class);
    StepVerifier.create(body)
        .expectNext("first")
        .then(() -> {
          clock.setMonotonicTime(clock.monotonicTime() + TimeUnit.SECONDS.toNanos(5));
          streamRelease.tryEmitEmpty();
        })
        .expectNext("last")
        .expectComplete()
        .verify(Duration.ofSeconds(10));

    Map<String, String> stream = server("/orders/{id}/stream", "success", "200");
    awaitTrue("the streamed request", () -> counts(registry, "ipc.server.call", SERVER).containsKey(stream));
    Timer timer = registry.timer(registry.createId("ipc.server.call", stream));
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    IpcMetric.validate(registry, true);
  }

  @Test
  void tenThousandRawPathsOfOneRouteAreOneEndpoint() {
    // in-process through the application's own HttpHandler: the chain its server runs, observation
    // included, without 10,000 round trips over loopback
    HttpHandler handler = app.getBean(HttpHandler.class);
    for (int i = 0; i < 10_000; i++) {
      MockServerHttpResponse response = new MockServerHttpResponse();
      handler.handle(MockServerHttpRequest.get("/items/" + i + "-" + Integer.toHexString(i * 7919)).build(), response)
          .block(Duration.ofSeconds(10));
      assertThat(response.getBodyAsString().block(Duration.ofSeconds(10))).startsWith("item ");
    }

    awaitTrue("all items", () -> counts(registry, "ipc.server.call", SERVER, e -> e.startsWith("/items"))
        .values().stream().mapToLong(Long::longValue).sum() == 10_000);
    Map<Map<String, String>, Long> items = counts(registry, "ipc.server.call", SERVER, e -> e.startsWith("/items"));
    // no Netflix headers from this caller: no ipc.client.* tags
    assertThat(items).containsExactlyEntriesOf(Map.of(tags("owner", SERVER, "ipc.endpoint", "/items/{id}",
        "http.method", "get", "http.status", "200", "ipc.status", "success", "ipc.result", "success"), 10_000L));
    assertThat(registry.stream().flatMap(m -> java.util.stream.StreamSupport.stream(m.id().tags().spliterator(), false)))
        .noneMatch(t -> t.value().startsWith("/items/1"));
  }

  @Test
  void thePublishersTargetIsNeverMeasuredButTheSameServersOtherPathsAre() {
    String atlasBase = "http://127.0.0.1:" + atlas.port();
    client.post().uri(atlasBase + "/api/v1/publish").bodyValue("{}").retrieve().toBodilessEntity().block(Duration.ofSeconds(10));
    client.post().uri(atlasBase + "/api/v1/other").bodyValue("{}").retrieve().toBodilessEntity().block(Duration.ofSeconds(10));

    awaitTrue("the call to the other path", () -> !counts(registry, "ipc.client.call", CLIENT, e -> e.startsWith("/api/v1")).isEmpty());
    Map<Map<String, String>, Long> calls = counts(registry, "ipc.client.call", CLIENT, e -> e.startsWith("/api/v1"));
    assertThat(calls).containsExactlyEntriesOf(Map.of(tags("owner", CLIENT, "ipc.endpoint", "/api/v1/other",
        "http.method", "post", "http.status", "200", "ipc.status", "success", "ipc.result", "success",
        "ipc.attempt", "initial", "ipc.attempt.final", "true"), 1L));
  }

  @Test
  void micrometersHttpMetricsOfTheSameRequestsAreNotPublished() {
    assertThat(get("/orders/{id}", 10)).isEqualTo(HttpStatus.OK);
    MeterRegistry micrometer = app.getBean(MeterRegistry.class);
    assertThat(micrometer.find("http.server.requests").meters()).isEmpty();
    assertThat(micrometer.find("http.client.requests").meters()).isEmpty();
    awaitTrue("the served request", () -> IpcMeters.total(registry, "ipc.server.call", SERVER) > 0);
  }

  /** The application under test: routes for each outcome. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {

    @Bean
    Routes routes(Sinks.Empty<Void> streamRelease) {
      return new Routes(streamRelease);
    }
  }

  @RestController
  static class Routes {

    private final Sinks.Empty<Void> streamRelease;

    Routes(Sinks.Empty<Void> streamRelease) {
      this.streamRelease = streamRelease;
    }

    @GetMapping("/orders/{id}")
    Mono<String> order(@PathVariable String id) {
      return Mono.just("order " + id);
    }

    @GetMapping("/items/{id}")
    Mono<String> item(@PathVariable String id) {
      return Mono.just("item " + id);
    }

    @GetMapping("/orders/{id}/invalid")
    Mono<String> invalid(@PathVariable String id) {
      return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "no such order " + id));
    }

    @GetMapping("/orders/{id}/broken")
    ResponseEntity<String> broken(@PathVariable String id) {
      return ResponseEntity.internalServerError().body("broken");
    }

    @GetMapping("/orders/{id}/throws")
    String fails(@PathVariable String id) {
      throw new UnsupportedOperationException("not today");
    }

    @GetMapping("/flaky/{id}")
    ResponseEntity<String> flaky(@PathVariable String id) {
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("try again");
    }

    @GetMapping("/steady/{id}")
    Mono<String> steady(@PathVariable String id) {
      return Mono.just("steady " + id);
    }

    @GetMapping("/orders/{id}/slow")
    Mono<String> slow(@PathVariable String id) {
      return Mono.never();
    }

    @GetMapping(path = "/orders/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<String> stream(@PathVariable String id) {
      return Flux.just("first").concatWith(streamRelease.asMono().then(Mono.just("last")));
    }
  }
}
