package io.github.spectatorboot.sample;

import static io.github.spectatorboot.sample.AtlasTestServer.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Spring Boot's own metrics, recorded through Micrometer, reach Atlas through the Spectator
 * registry: the sample run on WebFlux (Reactor Netty) and on Spring MVC (Tomcat), publishing to an
 * {@link AtlasTestServer} that checks every datapoint against Atlas's rules.
 */
class BootMetricsEndToEndTest {

  private static final long STEP = 2_000;
  private static final double STEP_SECONDS = STEP / 1000.0;
  private static final int REQUESTS = 7;
  private static final int MORE_REQUESTS = 3;

  /**
   * Names that Micrometer's JVM binders and Spectator's JVM metrics both use: they may arrive, but
   * only with Spectator's tags.
   */
  private static final Set<String> SHARED_JVM_NAMES = Set.of("jvm.memory.used", "jvm.memory.committed", "jvm.memory.max",
      "jvm.buffer.count", "jvm.gc.pause");
  /** Tag keys only Micrometer's JVM meters carry. */
  private static final Set<String> MICROMETER_JVM_TAG_KEYS = Set.of("area", "gc");

  private AtlasTestServer atlas;
  private ConfigurableApplicationContext app;
  private WebTestClient client;

  @AfterEach
  void tearDown() {
    if (app != null) {
      app.close();
    }
    if (atlas != null) {
      atlas.close();
    }
  }

  private void start(WebApplicationType type) {
    atlas = new AtlasTestServer(STEP);
    // a property, not SpringApplicationBuilder.web(type): the sample's application.yml sets one.
    // Micrometer's http.server.requests kept: the IPC metrics replace it by default (EndToEndTest
    // checks that), and this test is about Micrometer's meters through the bridge
    app = new SpringApplicationBuilder(SampleApplication.class).run("--spring.main.web-application-type=" + type,
        "--server.port=0", "--spectator.uri=" + atlas.uri("/api/v1/publish"), "--spectator.step=2s",
        "--management.endpoints.web.exposure.include=spectator,metrics", "--logging.level.reactor.netty=ERROR",
        "--spectator.ipc.keep-micrometer-http-metrics=true");
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
  }

  /** The counts of all published steps, back from rates per second. */
  private double count(Predicate<AtlasTestServer.Datapoint> p) {
    return atlas.accepted().stream().filter(p).mapToDouble(d -> d.value() * STEP_SECONDS).sum();
  }

  private Set<String> names() {
    return atlas.accepted().stream().map(d -> d.tags().get("name")).collect(Collectors.toSet());
  }

  @ParameterizedTest
  @EnumSource(value = WebApplicationType.class, names = {"REACTIVE", "SERVLET"})
  void bootsOwnMetersArePublishedOnceEachWithExactCounts(WebApplicationType type) {
    start(type);
    for (int i = 0; i < REQUESTS; i++) {
      client.post().uri("/orders").bodyValue("apples").exchange().expectStatus().isOk();
    }
    client.post().uri("/orders").bodyValue("").exchange().expectStatus().isBadRequest();
    Predicate<AtlasTestServer.Datapoint> ok = named("http.server.requests", "statistic", "count", "uri", "_orders",
        "method", "POST", "status", "200", "outcome", "SUCCESS");
    await().atMost(Duration.ofSeconds(60)).until(() -> count(ok) == REQUESTS
        && names().containsAll(List.of("logback.events", "process.uptime", "jvm.thread.threadCount")));

    for (int i = 0; i < MORE_REQUESTS; i++) {
      client.post().uri("/orders").bodyValue("pears").exchange().expectStatus().isOk();
    }
    assertMetricsEndpointShowsTheLastStepAsTheSpectatorEndpointDoes();

    app.close();
    app = null;

    // everything was published by the time close returned, the step in progress included
    assertThat(count(ok)).isEqualTo(REQUESTS + MORE_REQUESTS);
    assertThat(count(named("http.server.requests", "statistic", "count", "uri", "_orders", "status", "400",
        "outcome", "CLIENT_ERROR"))).isEqualTo(1);
    assertThat(atlas.accepted()).anyMatch(named("http.server.requests", "statistic", "totalTime", "uri", "_orders")
        .and(d -> d.value() > 0 && "rate".equals(d.tags().get("atlas.dstype"))));
    assertThat(atlas.accepted()).anyMatch(named("http.server.requests", "statistic", "max", "atlas.dstype", "gauge"));
    assertThat(atlas.accepted()).anyMatch(named("http.server.requests.active", "statistic", "activeTasks"));
    assertThat(atlas.accepted()).anyMatch(named("logback.events", "level", "info", "statistic", "count"));
    assertThat(names()).anyMatch(n -> n.startsWith("process.")).contains("application.ready.time");
    if (type == WebApplicationType.SERVLET) {
      assertThat(names()).anyMatch(n -> n.startsWith("tomcat."));
    }
    assertThat(atlas.accepted()).filteredOn(d -> d.tags().get("name").equals("logback.events"))
        .allSatisfy(d -> assertThat(d.tags()).containsEntry("nf.app", "sample").containsEntry("nf.cluster", "sample-dev"));

    assertThat(names()).as("the publisher's own requests are measured by no one").doesNotContain("http.client.requests")
        .contains("ipc.server.call").doesNotContain("ipc.client.call");
    assertNoJvmConceptUnderTwoNames();
    Map<String, Long> perSeries = atlas.accepted().stream()
        .collect(Collectors.groupingBy(d -> d.tags() + "@" + d.timestamp(), Collectors.counting()));
    assertThat(perSeries).as("no series sent twice for one step").allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
    assertThat(atlas.violations()).isEmpty();
  }

  /**
   * {@code /actuator/metrics} and {@code /actuator/spectator} read the same last completed step:
   * compared once a step with requests in it has completed, both read within that step.
   */
  @SuppressWarnings("unchecked")
  private void assertMetricsEndpointShowsTheLastStepAsTheSpectatorEndpointDoes() {
    String spectatorUri = "/actuator/spectator/http.server.requests?tag=uri:_orders&tag=status:200";
    String metricsUri = "/actuator/metrics/http.server.requests?tag=uri:/orders&tag=status:200";
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      Map<String, Object> before = client.get().uri(spectatorUri).exchange().expectStatus().isOk()
          .expectBody(Map.class).returnResult().getResponseBody();
      Map<String, Object> metrics = client.get().uri(metricsUri).exchange().expectStatus().isOk()
          .expectBody(Map.class).returnResult().getResponseBody();
      Map<String, Object> after = client.get().uri(spectatorUri).exchange().expectStatus().isOk()
          .expectBody(Map.class).returnResult().getResponseBody();
      double lastStepCount = lastStepCount(before);
      if (!before.get("lastStepTimestamp").equals(after.get("lastStepTimestamp")) || lastStepCount == 0) {
        return false; // a step ended between the reads, or the last step had no requests: read again
      }
      double micrometerCount = ((List<Map<String, Object>>) metrics.get("measurements")).stream()
          .filter(m -> "COUNT".equals(m.get("statistic"))).mapToDouble(m -> ((Number) m.get("value")).doubleValue())
          .sum();
      assertThat(micrometerCount).isEqualTo(lastStepCount);
      return true;
    });
  }

  @SuppressWarnings("unchecked")
  private static double lastStepCount(Map<String, Object> spectator) {
    return ((List<Map<String, Object>>) spectator.get("meters")).stream()
        .map(m -> (Map<String, Number>) m.get("lastStep"))
        .mapToDouble(last -> last.getOrDefault("count", 0).doubleValue()).sum();
  }

  private void assertNoJvmConceptUnderTwoNames() {
    Set<String> micrometerJvmNames = micrometerJvmNames();
    Set<String> published = names();
    assertThat(published).contains("jvm.thread.threadCount", "jvm.memory.used");
    Set<String> micrometerOnly = new HashSet<>(micrometerJvmNames);
    micrometerOnly.removeAll(SHARED_JVM_NAMES);
    assertThat(published).doesNotContainAnyElementsOf(micrometerOnly);
    assertThat(atlas.accepted()).filteredOn(d -> SHARED_JVM_NAMES.contains(d.tags().get("name")))
        .allSatisfy(d -> assertThat(d.tags()).doesNotContainKeys(MICROMETER_JVM_TAG_KEYS.toArray(String[]::new)));
  }

  /** The names Micrometer's JVM binders, as Spring Boot binds them, give their meters. */
  private static Set<String> micrometerJvmNames() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (JvmGcMetrics gc = new JvmGcMetrics(); JvmHeapPressureMetrics pressure = new JvmHeapPressureMetrics()) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new JvmInfoMetrics().bindTo(registry);
      new JvmCompilationMetrics().bindTo(registry);
      gc.bindTo(registry);
      pressure.bindTo(registry);
      return registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).collect(Collectors.toSet());
    } finally {
      registry.close();
    }
  }
}
