package io.github.spectatorboot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.publish.StepPoller;
import io.github.spectatorboot.registry.StepRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What the endpoint answers, whatever web stack serves it. */
abstract class SpectatorEndpointContract {

  @LocalServerPort
  int port;

  @Autowired
  Registry registry;

  @Autowired
  StepPoller poller;

  WebTestClient client;

  @BeforeEach
  void setUp() {
    // a shared 2-core machine can take more than the default 5 s to answer the first request
    client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    // the test closes the steps itself: a tick of the poller (every minute) between these polls
    // and a request would move the values a step on
    poller.close();
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

  @Test
  void anUnknownNameAnswers404SayingSoWithTheNamesThereAre() {
    client.get().uri("/actuator/spectator/no.such.meter").exchange()
        .expectStatus().isNotFound()
        .expectBody()
        .jsonPath("$.error").isEqualTo("unknownName")
        .jsonPath("$.message").value(m -> assertThat((String) m).contains("no.such.meter"))
        .jsonPath("$.names").value(n -> assertThat(n.toString()).contains("orders").contains("checkout"));
  }

  @Test
  void aKnownNameWhoseFilterMatchesNothingAnswers404WithTheTagsItHas() {
    client.get().uri("/actuator/spectator/orders?tag=status:unknown").exchange()
        .expectStatus().isNotFound()
        .expectBody()
        .jsonPath("$.error").isEqualTo("noMatchingMeter")
        .jsonPath("$.filters.status").isEqualTo("unknown")
        .jsonPath("$.availableTags[?(@.tag == 'status')].values[*]").value(v ->
            assertThat(v.toString()).contains("ok").contains("failed"))
        .jsonPath("$.availableTags[?(@.tag == 'region')].values[*]").value(v -> assertThat(v.toString()).contains("eu"));
  }

  @Test
  void aMalformedTagFilterAnswers400WithTheFilterSyntax() {
    client.get().uri("/actuator/spectator/orders?tag=status").exchange()
        .expectStatus().isBadRequest()
        .expectBody()
        .jsonPath("$.error").isEqualTo("badTagFilter")
        .jsonPath("$.message").value(m -> assertThat((String) m).contains("'status'"))
        .jsonPath("$.syntax").value(m -> assertThat((String) m).contains("tag=key:value"));
  }

  @Test
  void aMeterWithoutACompletedStepSaysItsLastStepIsPendingUntilTheStepInProgressEnds() {
    registry.counter("signups").increment();

    byte[] body = client.get().uri("/actuator/spectator/signups").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.meters[0].lastStep").isEmpty()
        .jsonPath("$.meters[0].lastStepState").isEqualTo("pending")
        .jsonPath("$.meters[0].inProgress.count").isEqualTo(1.0)
        .returnResult().getResponseBodyContent();
    String json = new String(body, StandardCharsets.UTF_8);
    long inProgressEnd = ((Number) JsonPath.read(json, "$.inProgressTimestamp")).longValue();
    assertThat((String) JsonPath.read(json, "$.nextStepAt")).isEqualTo(Instant.ofEpochMilli(inProgressEnd).toString());
    client.get().uri("/actuator/spectator/orders?tag=status:ok").exchange()
        .expectBody().jsonPath("$.meters[0].lastStepState").isEqualTo("complete");
  }

  @Test
  void apiClientsGetTheActuatorJsonTypeAsBefore() {
    client.get().uri("/actuator/spectator").exchange()
        .expectHeader().contentTypeCompatibleWith("application/vnd.spring-boot.actuator.v3+json");
    client.get().uri("/actuator/spectator/orders").accept(MediaType.APPLICATION_JSON).exchange()
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
    client.get().uri("/actuator/spectator/orders").accept(MediaType.ALL).exchange()
        .expectHeader().contentTypeCompatibleWith("application/vnd.spring-boot.actuator.v3+json");
  }

  @Test
  void aBrowserGetsAPageForTheSameUrls() {
    String browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    client.get().uri("/actuator/spectator").header("Accept", browserAccept).exchange()
        .expectStatus().isOk()
        .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
        .expectBody(String.class).value(html -> assertThat(html).contains("href=\"spectator/orders\""));
    client.get().uri("/actuator/spectator/orders").header("Accept", browserAccept).exchange()
        .expectStatus().isOk()
        .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
        .expectBody(String.class).value(html -> assertThat(html).contains("<svg")
            .contains("name,orders,:eq,statistic,count,:eq,:and,region,eu,:eq,:and,status,ok,:eq,:and,:sum"));
    client.get().uri("/actuator/spectator/no.such.meter").header("Accept", browserAccept).exchange()
        .expectStatus().isNotFound()
        .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
  }
}
