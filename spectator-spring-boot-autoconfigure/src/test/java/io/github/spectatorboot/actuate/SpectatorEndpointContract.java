package io.github.spectatorboot.actuate;

import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.registry.StepRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What the endpoint answers, whatever web stack serves it. */
abstract class SpectatorEndpointContract {

  @LocalServerPort
  int port;

  @Autowired
  Registry registry;

  WebTestClient client;

  @BeforeEach
  void setUp() {
    client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    // the context is shared between tests: start each from an empty step
    ((StepRegistry) registry).poll();
    registry.counter("orders", "status", "ok", "region", "eu").increment(3);
    registry.counter("orders", "status", "failed", "region", "eu").increment();
    registry.timer("checkout").record(250, TimeUnit.MILLISECONDS);
    ((StepRegistry) registry).poll();
    registry.counter("orders", "status", "ok", "region", "eu").increment(2);
  }

  @Test
  void listsTheSettingsAndTheSortedMeterNames() {
    client.get().uri("/actuator/spectator").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.step").isEqualTo("PT1M")
        .jsonPath("$.format").isEqualTo("publish")
        .jsonPath("$.uri").isEqualTo("http://localhost:7101/api/v1/publish")
        .jsonPath("$.commonTags['nf.app']").isEqualTo("shop")
        // sorted; the endpoint's own requests add ipc.server.* (request metrics) between the two
        .jsonPath("$.names").value(names -> org.assertj.core.api.Assertions.assertThat(
            (java.util.List<String>) names).isSorted().contains("checkout", "orders", "ipc.server.inflight"));
  }

  @Test
  void showsEachMeterOfANameWithItsTagsLastStepAndStepInProgress() {
    client.get().uri("/actuator/spectator/orders?tag=status:ok").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.name").isEqualTo("orders")
        .jsonPath("$.meters.length()").isEqualTo(1)
        .jsonPath("$.meters[0].type").isEqualTo("counter")
        .jsonPath("$.meters[0].tags.region").isEqualTo("eu")
        .jsonPath("$.meters[0].tags['nf.app']").isEqualTo("shop")
        .jsonPath("$.meters[0].lastStep.count").isEqualTo(3.0)
        .jsonPath("$.meters[0].inProgress.count").isEqualTo(2.0)
        .jsonPath("$.availableTags[?(@.tag == 'region')].values[0]").isEqualTo("eu");
  }

  @Test
  void listsTheTagValuesAvailableForDrillingDown() {
    client.get().uri("/actuator/spectator/orders").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.meters.length()").isEqualTo(2)
        .jsonPath("$.availableTags[?(@.tag == 'status')].values[*]").value(v ->
            org.assertj.core.api.Assertions.assertThat(v.toString()).contains("ok").contains("failed"));
  }

  @Test
  void showsATimersStatisticsInSeconds() {
    client.get().uri("/actuator/spectator/checkout").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.meters[0].type").isEqualTo("timer")
        .jsonPath("$.meters[0].lastStep.count").isEqualTo(1.0)
        .jsonPath("$.meters[0].lastStep.totalTime").isEqualTo(0.25)
        .jsonPath("$.meters[0].lastStep.max").isEqualTo(0.25);
  }

  @Test
  void answers404ForAnUnknownName() {
    client.get().uri("/actuator/spectator/no.such.meter").exchange().expectStatus().isNotFound();
  }

  @Test
  void answers404WhenNoMeterMatchesTheTags() {
    client.get().uri("/actuator/spectator/orders?tag=status:unknown").exchange().expectStatus().isNotFound();
  }

  @Test
  void answers400ForAMalformedTagFilter() {
    client.get().uri("/actuator/spectator/orders?tag=status").exchange().expectStatus().isBadRequest();
  }
}
