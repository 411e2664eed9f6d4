package io.github.spectatorboot.ipc;

import static io.github.spectatorboot.ipc.IpcMeters.awaitTrue;
import static io.github.spectatorboot.ipc.IpcMeters.closedPort;
import static io.github.spectatorboot.ipc.IpcMeters.counts;
import static io.github.spectatorboot.ipc.IpcMeters.delta;
import static io.github.spectatorboot.ipc.IpcMeters.sum;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A Spring MVC application on Tomcat that calls itself with a {@code RestClient} and a
 * {@code RestTemplate} from Boot's builders: every outcome, counted per exact tag set on both
 * sides, and checked by Spectator's own {@link IpcMetric#validate(Registry, boolean)}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IpcMvcTest {

  private static final String SERVER = MvcServerIpcObservationHandler.OWNER;
  private static final String CLIENT = RestClientIpcObservationHandler.OWNER;

  private final ManualClock clock = new ManualClock();
  private final Registry registry = new DefaultRegistry(clock);
  private ConfigurableApplicationContext app;
  private String base;

  @BeforeAll
  void start() {
    app = new SpringApplicationBuilder(App.class)
        .initializers(context -> context.getBeanFactory().registerSingleton("testRegistry", registry))
        .run("--server.port=0", "--server.address=127.0.0.1", "--spring.main.web-application-type=servlet",
            "--spectator.publish.enabled=false", "--spectator.jvm.enabled=false", "--spectator.global-registry.enabled=false",
            "--spectator.common-tags.nf.app=shop", "--spectator.common-tags.nf.asg=shop-main-v012",
            "--logging.level.org.apache.catalina=OFF", "--logging.level.org.springframework.web=OFF");
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  void stop() {
    app.close();
  }

  private static Map<String, String> server(String endpoint, String status, String httpStatus, String... more) {
    Map<String, String> tags = tags("owner", SERVER, "ipc.endpoint", endpoint, "http.method", "get",
        "ipc.status", status, "ipc.result", "success".equals(status) ? "success" : "failure",
        "http.status", httpStatus,
        // from the Netflix-ASG header the application's own client sent (nf.asg)
        "ipc.client.app", "shop", "ipc.client.cluster", "shop-main", "ipc.client.asg", "shop-main-v012");
    tags.putAll(tags(more));
    return tags;
  }

  private static Map<String, String> client(String endpoint, String status, String httpStatus, String... more) {
    Map<String, String> tags = tags("owner", CLIENT, "ipc.endpoint", endpoint, "http.method", "get",
        "ipc.status", status, "ipc.result", "success".equals(status) ? "success" : "failure",
        "ipc.attempt", "initial", "ipc.attempt.final", "true", "http.status", httpStatus);
    tags.putAll(tags(more));
    return tags;
  }

  private static int status(Supplier<ResponseEntity<?>> call) {
    try {
      return call.get().getStatusCode().value();
    } catch (RestClientResponseException e) {
      return e.getStatusCode().value();
    }
  }

  /** Drives every outcome through {@code get} (template, variables), then a call without template and a refused one. */
  private void driveEveryOutcome(java.util.function.BiFunction<String, Object, ResponseEntity<?>> get,
      java.util.function.Function<URI, ResponseEntity<?>> getUri) {
    assertThat(status(() -> get.apply("/orders/{id}", 1))).isEqualTo(200);
    assertThat(status(() -> get.apply("/orders/{id}", 2))).isEqualTo(200);
    assertThat(status(() -> get.apply("/orders/{id}/invalid", 3))).isEqualTo(400);
    assertThat(status(() -> get.apply("/orders/{id}/broken", 4))).isEqualTo(500);
    assertThat(status(() -> get.apply("/orders/{id}/throws", 5))).isEqualTo(500);
    assertThat(status(() -> getUri.apply(URI.create(base + "/no/such/route/6")))).isEqualTo(404);
    int closed = closedPort();
    assertThatThrownBy(() -> getUri.apply(URI.create("http://127.0.0.1:" + closed + "/orders/8")))
        .isInstanceOf(ResourceAccessException.class);
  }

  private static final Map<Map<String, String>, Long> EXPECTED_SERVER = Map.of(
      server("/orders/{id}", "success", "200"), 2L,
      // MVC's exception resolvers answer these without the observation seeing an error
      server("/orders/{id}/invalid", "bad_request", "400"), 1L,
      server("/orders/{id}/broken", "unexpected_error", "500"), 1L,
      // an exception no resolver handled reaches the observation filter, and keeps its route
      server("/orders/{id}/throws", "unexpected_error", "500", "ipc.status.detail", "UnsupportedOperationException"), 1L,
      server("unknown", "success", "404"), 1L);

  /** The IPC timer's counts of one owner, the streaming route (another test's) left out. */
  private Map<Map<String, String>, Long> counted(String name, String owner) {
    return counts(registry, name, owner, endpoint -> !endpoint.endsWith("/stream"));
  }

  private static Map<Map<String, String>, Long> expectedClient(String refusedDetail) {
    return Map.of(
        client("/orders/{id}", "success", "200"), 2L,
        client("/orders/{id}/invalid", "bad_request", "400", "ipc.status.detail", "BadRequest"), 1L,
        client("/orders/{id}/broken", "unexpected_error", "500", "ipc.status.detail", "InternalServerError"), 1L,
        client("/orders/{id}/throws", "unexpected_error", "500", "ipc.status.detail", "InternalServerError"), 1L,
        client("unknown", "success", "404", "ipc.status.detail", "NotFound"), 1L,
        client("unknown", "connection_error", "-1", "ipc.status.detail", refusedDetail), 1L);
  }

  @Test
  void everyServedRequestAndEveryRestClientCallIsOneIpcEntryWithTheSpecsTags() {
    RestClient rest = app.getBean(RestClient.Builder.class).build();
    assertEveryOutcomeIsCounted(() -> driveEveryOutcome(
        (template, id) -> rest.get().uri(base + template, id).retrieve().toBodilessEntity(),
        uri -> rest.get().uri(uri).retrieve().toBodilessEntity()));
  }

  @Test
  void everyRestTemplateCallIsOneIpcEntryWithTheSpecsTags() {
    RestTemplate rest = app.getBean(RestTemplateBuilder.class).build();
    assertEveryOutcomeIsCounted(() -> driveEveryOutcome(
        (template, id) -> rest.getForEntity(base + template, String.class, id),
        uri -> rest.getForEntity(uri, String.class)));
  }

  /** Runs {@code calls} and checks what both sides counted for them, exactly. */
  private void assertEveryOutcomeIsCounted(Runnable calls) {
    Map<Map<String, String>, Long> serverBefore = counted("ipc.server.call", SERVER);
    Map<Map<String, String>, Long> clientBefore = counted("ipc.client.call", CLIENT);
    calls.run();

    awaitTrue("six served requests", () -> sum(delta(serverBefore, counted("ipc.server.call", SERVER))) == 6);
    assertThat(delta(serverBefore, counted("ipc.server.call", SERVER)))
        .containsExactlyInAnyOrderEntriesOf(EXPECTED_SERVER);
    assertThat(delta(clientBefore, counted("ipc.client.call", CLIENT)))
        .containsExactlyInAnyOrderEntriesOf(expectedClient("AnnotatedConnectException"));
    IpcMetric.validate(registry, true);
  }

  @Test
  void aRestClientCallTheServerDoesNotAnswerInTimeIsOneTimeout() {
    // Reactor Netty's client, the request factory Boot picks here, with a read timeout
    ReactorClientHttpRequestFactory factory = new ReactorClientHttpRequestFactory();
    factory.setReadTimeout(Duration.ofMillis(300));
    RestClient rest = app.getBean(RestClient.Builder.class).requestFactory(factory).build();
    assertReadTimeoutIsCounted(silent -> rest.get().uri(silent + "/silent/{id}", 1).retrieve().toBodilessEntity(),
        "ReadTimeoutException");
  }

  @Test
  void aRestTemplateCallTheServerDoesNotAnswerInTimeIsOneTimeout() {
    // the JDK's HttpClient, whose HttpTimeoutException is an IOException
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory();
    factory.setReadTimeout(Duration.ofMillis(300));
    RestTemplate rest = app.getBean(RestTemplateBuilder.class).build();
    rest.setRequestFactory(factory);
    assertReadTimeoutIsCounted(silent -> rest.getForEntity(silent + "/silent/{id}", String.class, 1),
        "HttpTimeoutException");
  }

  @Test
  void restClientCallsThatShareIpcAttemptsAreNumberedUntilOneSucceeds() {
    RestClient rest = app.getBean(RestClient.Builder.class).build();
    IpcAttempts attempts = IpcAttempts.upTo(3);
    Map<Map<String, String>, Long> serverBefore = counted("ipc.server.call", SERVER);
    Map<Map<String, String>, Long> before = counted("ipc.client.call", CLIENT);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> rest.get().uri(base + "/orders/{id}/broken", 12).attribute(IpcAttempts.ATTRIBUTE, attempts)
          .retrieve().toBodilessEntity()).isInstanceOf(RestClientResponseException.class);
    }
    assertThat(rest.get().uri(base + "/orders/{id}", 12).attribute(IpcAttempts.ATTRIBUTE, attempts)
        .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);

    assertThat(attempts.started()).isEqualTo(3);
    assertThat(delta(before, counted("ipc.client.call", CLIENT))).containsExactlyInAnyOrderEntriesOf(Map.of(
        client("/orders/{id}/broken", "unexpected_error", "500", "ipc.status.detail", "InternalServerError",
            "ipc.attempt", "initial", "ipc.attempt.final", "false"), 1L,
        client("/orders/{id}/broken", "unexpected_error", "500", "ipc.status.detail", "InternalServerError",
            "ipc.attempt", "second", "ipc.attempt.final", "false"), 1L,
        client("/orders/{id}", "success", "200", "ipc.attempt", "third_up", "ipc.attempt.final", "true"), 1L));
    IpcMetric.validate(registry, true);
    // the server records after the response is written: wait, so that no later test counts these
    awaitTrue("three served requests", () -> sum(delta(serverBefore, counted("ipc.server.call", SERVER))) == 3);
  }

  /** Calls, through {@code call}, a server that accepts the request and never answers. */
  private void assertReadTimeoutIsCounted(java.util.function.Consumer<String> call, String detail) {
    DisposableServer silent = HttpServer.create().host("127.0.0.1").port(0)
        .handle((request, response) -> reactor.core.publisher.Mono.never()).bindNow();
    try {
      Map<Map<String, String>, Long> before = counted("ipc.client.call", CLIENT);
      assertThatThrownBy(() -> call.accept("http://127.0.0.1:" + silent.port()))
          .isInstanceOf(ResourceAccessException.class);
      assertThat(delta(before, counted("ipc.client.call", CLIENT))).containsExactlyInAnyOrderEntriesOf(Map.of(
          client("/silent/{id}", "timeout", "-1", "ipc.status.detail", detail), 1L));
      IpcMetric.validate(registry, true);
    } finally {
      silent.disposeNow();
    }
  }

  @Test
  void aStreamedResponseIsTimedUntilItsLastByteIsWritten() throws Exception {
    // a client without observation, so only the server side records
    java.net.http.HttpClient plain = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(base + "/orders/9/stream"))
        .timeout(Duration.ofSeconds(10)).build();
    try (java.io.BufferedReader body = new java.io.BufferedReader(new java.io.InputStreamReader(
        plain.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream()).body(), StandardCharsets.UTF_8))) {
      assertThat(body.readLine()).isEqualTo("data:first");
      assertThat(body.readLine()).isEmpty();
      clock.setMonotonicTime(clock.monotonicTime() + TimeUnit.SECONDS.toNanos(5));
      SseEmitter emitter = app.getBean(Routes.class).stream.get();
      emitter.send("last");
      emitter.complete();
      assertThat(body.readLine()).isEqualTo("data:last");
      assertThat(body.readLine()).isEmpty();
      assertThat(body.readLine()).isNull();
    }

    Map<String, String> stream = tags("owner", SERVER, "ipc.endpoint", "/orders/{id}/stream", "http.method", "get",
        "ipc.status", "success", "ipc.result", "success", "http.status", "200");
    awaitTrue("the streamed request", () -> counts(registry, "ipc.server.call", SERVER).containsKey(stream));
    Timer timer = registry.timer(registry.createId("ipc.server.call", stream));
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    IpcMetric.validate(registry, true);
  }

  @Test
  void micrometersHttpMetricsOfTheSameRequestsAreNotPublished() {
    RestClient rest = app.getBean(RestClient.Builder.class).build();
    Map<Map<String, String>, Long> serverBefore = counted("ipc.server.call", SERVER);
    rest.get().uri(base + "/orders/{id}", 10).retrieve().toBodilessEntity();
    awaitTrue("the served request", () -> sum(delta(serverBefore, counted("ipc.server.call", SERVER))) == 1);
    MeterRegistry micrometer = app.getBean(MeterRegistry.class);
    assertThat(micrometer.find("http.server.requests").meters()).isEmpty();
    assertThat(micrometer.find("http.client.requests").meters()).isEmpty();
    assertThat(IpcMeters.total(registry, "ipc.client.call", CLIENT)).isPositive();
  }

  /** The application under test: routes for each outcome. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {

    @Bean
    Routes routes() {
      return new Routes();
    }
  }

  @RestController
  static class Routes {

    /** The open stream, which the test ends. */
    final java.util.concurrent.atomic.AtomicReference<SseEmitter> stream = new java.util.concurrent.atomic.AtomicReference<>();

    @GetMapping("/orders/{id}")
    String order(@PathVariable String id) {
      return "order " + id;
    }

    @GetMapping("/orders/{id}/invalid")
    String invalid(@PathVariable String id) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "no such order " + id);
    }

    @GetMapping("/orders/{id}/broken")
    ResponseEntity<String> broken(@PathVariable String id) {
      return ResponseEntity.internalServerError().body("broken");
    }

    @GetMapping("/orders/{id}/throws")
    String fails(@PathVariable String id) {
      throw new UnsupportedOperationException("not today");
    }

    @GetMapping("/orders/{id}/stream")
    SseEmitter stream(@PathVariable String id) throws java.io.IOException {
      SseEmitter emitter = new SseEmitter(10_000L);
      emitter.send("first");
      this.stream.set(emitter);
      return emitter;
    }
  }
}
