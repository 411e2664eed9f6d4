package io.github.spectatorboot.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The health contributor's {@code lwc} detail: with Atlas accepting every publish and lwcapi
 * serving one subscription but failing every post of results, the contributor is {@code UP} and
 * its {@code lwc} detail shows the streamer running, the subscription and the lost values.
 */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=reactive", "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always", "spectator.step=2s", "spectator.lwc.enabled=true",
        "spectator.lwc.step=1s", "spectator.lwc.refresh-frequency=1s", "spectator.global-registry.enabled=false",
        "spectator.jvm.enabled=false"})
class SpectatorHealthLwcTest {

  private static final MockWebServer BACKEND = new MockWebServer();

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void backend(DynamicPropertyRegistry registry) throws IOException {
    BACKEND.setDispatcher(new Dispatcher() {
      @Override public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.startsWith("/lwc/api/v1/expressions/")) {
          return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
              .body("{\"expressions\":[{\"expression\":\"name,spectator.lwc.fetches,:eq,:sum\","
                  + "\"exprType\":\"TIME_SERIES\",\"frequency\":1000,\"id\":\"fetches\"}]}")
              .build();
        }
        // publishes are accepted, evaluated values are not
        return new MockResponse.Builder().code(path.startsWith("/lwc/api/v1/evaluate") ? 500 : 200).build();
      }
    });
    BACKEND.start();
    String base = "http://127.0.0.1:" + BACKEND.getPort();
    registry.add("spectator.uri", () -> base + "/api/v1/publish");
    registry.add("spectator.lwc.config-uri", () -> base + "/lwc/api/v1/expressions/app-main");
    registry.add("spectator.lwc.eval-uri", () -> base + "/lwc/api/v1/evaluate");
  }

  @AfterAll
  static void stopBackend() {
    BACKEND.close();
  }

  @Test
  void lwcFailingShowsInTheLwcDetailAndNeverChangesTheStatus() {
    WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> client.get().uri("/actuator/health").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.status").isEqualTo("UP")
        .jsonPath("$.components.spectator.status").isEqualTo("UP")
        .jsonPath("$.components.spectator.details.lwc.running").isEqualTo(true)
        .jsonPath("$.components.spectator.details.lwc.subscriptions").isEqualTo(1)
        .jsonPath("$.components.spectator.details.lwc.lastFetch").isEqualTo("ok")
        .jsonPath("$.components.spectator.details.lwc.lastError").isEqualTo("HTTP 500")
        .jsonPath("$.components.spectator.details.lwc.dropped").value(v ->
            assertThat(((Number) v).longValue()).isPositive()));
  }
}
