package io.github.spectatorboot.sample;

import static io.github.spectatorboot.sample.AtlasTestServer.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The sample application, started as it ships, publishing to an {@link AtlasTestServer} that
 * checks every datapoint against Atlas's rules. A 2 second step keeps the test short.
 */
class EndToEndTest {

  private static final long STEP = 2_000;
  private static final double STEP_SECONDS = STEP / 1000.0;

  private AtlasTestServer atlas;
  private ConfigurableApplicationContext app;
  private WebTestClient client;
  private int placed;

  @AfterEach
  void tearDown() {
    if (app != null) {
      app.close();
    }
    if (atlas != null) {
      atlas.close();
    }
  }

  private void start(String path) {
    atlas = new AtlasTestServer(STEP);
    app = new SpringApplicationBuilder(SampleApplication.class).run(
        "--server.port=0", "--spectator.uri=" + atlas.uri(path), "--spectator.step=2s",
        "--spectator.common-tags.nf.node=i-test", "--logging.level.reactor.netty=ERROR");
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10)).build();
  }

  private void placeOrders(int n) {
    for (int i = 0; i < n; i++) {
      client.post().uri("/orders").bodyValue("apples").exchange().expectStatus().isOk();
      placed++;
    }
  }

  /**
   * Places {@code n} orders inside one step and returns that step's end; starts over in the next
   * step if the orders straddled a boundary (rare; the totals stay exact either way).
   */
  private long placeOrdersWithinOneStep(int n) {
    for (int attempt = 0; attempt < 5; attempt++) {
      long previousStep = System.currentTimeMillis() / STEP;
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
        long now = System.currentTimeMillis();
        // after the poll that closes the previous step (boundary + 2% of the step): a value
        // recorded between a boundary and that poll counts in the step that just ended
        return now / STEP > previousStep && now % STEP >= 150 && now % STEP < 450;
      });
      long before = System.currentTimeMillis();
      placeOrders(n);
      long after = System.currentTimeMillis();
      if (before / STEP == after / STEP && after % STEP < STEP - 300) {
        return (before / STEP + 1) * STEP;
      }
    }
    throw new AssertionError("could not place " + n + " orders within one step in 5 attempts");
  }

  private double sum(Predicate<AtlasTestServer.Datapoint> p, boolean rates) {
    return atlas.accepted().stream().filter(p).mapToDouble(d -> rates ? d.value() * STEP_SECONDS : d.value()).sum();
  }

  @Test
  void publishApiDatapointsPassAtlasRulesAndCarryTheRatesOfWhatTheApplicationDid() {
    start("/api/v1/publish");
    placeOrders(3); // warm up, the endpoint too: its first answer is the slowest
    client.get().uri("/actuator/spectator/orders.placed").exchange().expectStatus().isOk();
    client.post().uri("/orders").bodyValue("").exchange().expectStatus().isBadRequest();
    long stepEnd = placeOrdersWithinOneStep(10);

    // the step in progress, seen through the endpoint before it is published; on a machine slow
    // enough that the step ended before the request was served, it is the last step instead
    DocumentContext seen = JsonPath.parse(new String(client.get()
        .uri("/actuator/spectator/orders.placed?tag=exception:none").exchange().expectStatus().isOk()
        .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8));
    String stepSeen = seen.read("$.inProgressTimestamp", Long.class) == stepEnd ? "inProgress" : "lastStep";
    assertThat(seen.read("$." + stepSeen + "Timestamp", Long.class)).isEqualTo(stepEnd);
    assertThat(seen.read("$.meters[0]." + stepSeen + ".count", Double.class)).isEqualTo(10.0);
    assertThat(seen.read("$.meters[0].tags.class", String.class)).isEqualTo("OrderService");
    assertThat(seen.read("$.meters[0].tags['nf.app']", String.class)).isEqualTo("sample");

    Predicate<AtlasTestServer.Datapoint> placedCount = named("orders.placed", "statistic", "count", "exception", "none");
    await().atMost(Duration.ofSeconds(15)).until(() -> sum(placedCount, true) == placed);

    // that step, published as a rate per second with the step's end as timestamp
    List<AtlasTestServer.Datapoint> step = atlas.accepted().stream()
        .filter(placedCount.and(d -> d.timestamp() == stepEnd)).toList();
    assertThat(step).singleElement().satisfies(d -> {
      assertThat(d.value()).isEqualTo(10 / STEP_SECONDS);
      assertThat(d.tags()).containsEntry("atlas.dstype", "rate").containsEntry("nf.app", "sample")
          .containsEntry("nf.cluster", "sample-dev").containsEntry("nf.node", "i-test")
          .containsEntry("class", "OrderService").containsEntry("method", "place");
    });
    assertThat(atlas.accepted()).anyMatch(named("orders.placed", "statistic", "max", "atlas.dstype", "gauge")
        .and(d -> d.timestamp() == stepEnd && d.value() > 0));

    // the injected meters and the annotation counter, over the whole run
    assertThat(sum(named("orders.attempts", "result", "success"), true)).isEqualTo(placed);
    assertThat(sum(named("orders.attempts", "result", "failure", "exception", "IllegalArgumentException"), true)).isEqualTo(1);
    assertThat(sum(named("orders.rejected"), true)).isEqualTo(1);
    assertThat(sum(named("orders.payloadSize", "statistic", "count"), true)).isEqualTo(placed + 1);
    assertThat(sum(named("orders.payloadSize", "statistic", "totalAmount"), true)).isEqualTo(placed * "apples".length());
    await().atMost(Duration.ofSeconds(15)).until(() ->
        atlas.accepted().stream().anyMatch(named("orders.queueSize").and(d -> d.value() == placed)));
    assertThat(atlas.accepted()).anyMatch(named("jvm.memory.used"));

    // after the publish, the endpoint's last step is the published one
    client.get().uri("/actuator/spectator/orders.placed?tag=exception:none").exchange().expectStatus().isOk()
        .expectBody().jsonPath("$.lastStepTimestamp").value(t -> assertThat(((Number) t).longValue()).isGreaterThanOrEqualTo(stepEnd));

    assertThat(atlas.violations()).isEmpty();
  }

  @Test
  void servedRequestsArriveAsIpcServerCallsNamedByTheirRouteAndThePublishersOwnCallsDoNot() {
    start("/api/v1/publish");
    placeOrders(4);
    client.post().uri("/orders").bodyValue("").exchange().expectStatus().isBadRequest();
    client.post().uri("/orders/next").exchange().expectStatus().isOk();
    client.get().uri("/orders/12345").exchange().expectStatus().isNotFound();

    // drill down by endpoint before the step is published ('/' is not an Atlas character: /orders is _orders)
    client.get().uri("/actuator/spectator/ipc.server.call?tag=ipc.endpoint:_orders&tag=ipc.status:success")
        .exchange().expectStatus().isOk()
        .expectBody().jsonPath("$.meters[0].tags['ipc.endpoint']").isEqualTo("_orders")
        .jsonPath("$.meters[0].tags['owner']").isEqualTo("spring-webflux")
        .jsonPath("$.availableTags[?(@.tag == 'http.method')].values[0]").isEqualTo("post");

    Predicate<AtlasTestServer.Datapoint> placedCalls = named("ipc.server.call", "statistic", "count",
        "ipc.endpoint", "_orders", "ipc.status", "success", "ipc.result", "success", "http.method", "post",
        "http.status", "200", "owner", "spring-webflux");
    await().atMost(Duration.ofSeconds(15)).until(() -> sum(placedCalls, true) == placed);
    await().atMost(Duration.ofSeconds(15)).until(() ->
        sum(named("ipc.server.call", "statistic", "count", "ipc.endpoint", "unknown", "http.status", "404"), true) == 1);
    assertThat(sum(named("ipc.server.call", "statistic", "count", "ipc.endpoint", "_orders", "ipc.status", "bad_request",
        "ipc.result", "failure", "http.status", "400"), true)).isEqualTo(1);
    assertThat(sum(named("ipc.server.call", "statistic", "count", "ipc.endpoint", "_orders_next"), true)).isEqualTo(1);
    assertThat(atlas.accepted()).anyMatch(named("ipc.server.call", "statistic", "percentile", "ipc.endpoint", "_orders"));
    assertThat(atlas.accepted()).filteredOn(named("ipc.server.call"))
        .allSatisfy(d -> assertThat(d.tags()).containsEntry("nf.app", "sample").doesNotContainKey("uri"))
        .noneMatch(d -> d.tags().get("ipc.endpoint").contains("12345"));
    // the publisher's own requests to Atlas are not client calls of the application; Micrometer's
    // http.server.requests would measure the same requests again under another name
    assertThat(atlas.accepted()).noneMatch(named("ipc.client.call")).noneMatch(named("http.server.requests"));
    assertThat(atlas.violations()).isEmpty();
  }

  @Test
  void percentileTimerAndReactiveTimerArePublished() {
    start("/api/v1/publish");
    placeOrders(4);
    for (int i = 0; i < 4; i++) {
      client.post().uri("/orders/next").exchange().expectStatus().isOk();
    }
    client.post().uri("/orders/quote").bodyValue("pears").exchange().expectStatus().isOk()
        .expectBody(Long.class).isEqualTo(500L);

    await().atMost(Duration.ofSeconds(15)).until(() ->
        sum(named("orders.fulfilment", "statistic", "percentile"), true) == 4
            && sum(named("orders.quote", "statistic", "count", "currency", "EUR"), true) == 1);
    assertThat(atlas.accepted()).filteredOn(named("orders.fulfilment", "statistic", "percentile"))
        .allMatch(d -> d.tags().get("percentile").matches("T[0-9A-F]{4}"));
    assertThat(sum(named("orders.quote", "statistic", "totalTime"), true)).isGreaterThanOrEqualTo(0.005);
    assertThat(atlas.violations()).isEmpty();
  }

  @Test
  void aggregatorPayloadsPassAtlasRulesAndCarryTheDeltas() {
    start("/api/v4/update");
    placeOrders(7);
    client.post().uri("/orders").bodyValue(" ").exchange().expectStatus().isBadRequest();

    Predicate<AtlasTestServer.Datapoint> placedCount = named("orders.placed", "statistic", "count", "exception", "none");
    // the rejected order may land a step after the placed ones: wait for every delta
    await().atMost(Duration.ofSeconds(15)).until(() -> sum(placedCount, false) == placed
        && sum(named("orders.attempts", "result", "failure"), false) == 1
        && sum(named("orders.payloadSize", "statistic", "totalAmount"), false) == placed * 6 + 1);

    assertThat(atlas.paths()).allMatch(p -> p.equals("/api/v4/update"));
    assertThat(atlas.accepted()).filteredOn(placedCount).allMatch(d -> d.op() == 0);
    assertThat(atlas.accepted()).filteredOn(named("orders.placed", "statistic", "max")).allMatch(d -> d.op() == 10);
    assertThat(sum(named("orders.attempts", "result", "failure"), false)).isEqualTo(1);
    assertThat(sum(named("orders.payloadSize", "statistic", "totalAmount"), false)).isEqualTo(placed * 6 + 1);
    assertThat(atlas.accepted()).filteredOn(placedCount)
        .allSatisfy(d -> assertThat(d.tags()).containsEntry("nf.app", "sample").doesNotContainKey("atlas.dstype"));
    assertThat(atlas.violations()).isEmpty();
  }

  @Test
  void closingTheApplicationDeliversThePartialLastStep() {
    start("/api/v1/publish");
    placeOrders(5);
    Predicate<AtlasTestServer.Datapoint> placedCount = named("orders.placed", "statistic", "count", "exception", "none");
    long closedAt = System.currentTimeMillis();

    app.close();
    app = null;

    // everything was published by the time close returned, the step in progress included
    assertThat(sum(placedCount, true)).isEqualTo(placed);
    long partialStepEnd = (closedAt / STEP + 1) * STEP;
    assertThat(atlas.accepted()).anyMatch(placedCount.and(d -> d.timestamp() >= partialStepEnd));
    Map<Long, Long> perStep = new java.util.TreeMap<>();
    atlas.accepted().stream().filter(placedCount).forEach(d -> perStep.merge(d.timestamp(), 1L, Long::sum));
    assertThat(perStep.values()).as("no step published twice").allMatch(c -> c == 1L);
    assertThat(atlas.violations()).isEmpty();
  }
}
