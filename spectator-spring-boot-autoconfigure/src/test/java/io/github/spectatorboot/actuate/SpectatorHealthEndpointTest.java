package io.github.spectatorboot.actuate;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A failing backend shows as UNKNOWN with the last error; the application stays UP. */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=reactive", "management.endpoints.web.exposure.include=health,spectator",
        "management.endpoint.health.show-details=always", "spectator.step=1s", "spectator.connect-timeout=200ms",
        "spectator.global-registry.enabled=false", "spectator.jvm.enabled=false"})
class SpectatorHealthEndpointTest {

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void closedBackend(DynamicPropertyRegistry registry) throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    registry.add("spectator.uri", () -> "http://127.0.0.1:" + closedPort + "/api/v1/publish");
  }

  @Test
  void aBackendRefusingConnectionsShowsAsUnknownWithTheLastErrorWhileTheApplicationStaysUp() {
    WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> client.get().uri("/actuator/health").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.status").isEqualTo("UP")
        .jsonPath("$.components.spectator.status").isEqualTo("UNKNOWN")
        .jsonPath("$.components.spectator.details.lastError").isNotEmpty()
        .jsonPath("$.components.spectator.details.state").isEqualTo("RUNNING")
        .jsonPath("$.components.spectator.details.dropped").value(v ->
            org.assertj.core.api.Assertions.assertThat(((Number) v).longValue()).isPositive()));

    client.get().uri("/actuator/spectator").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.publisher.state").isEqualTo("RUNNING")
        .jsonPath("$.publisher.lastError").isNotEmpty();
  }
}
