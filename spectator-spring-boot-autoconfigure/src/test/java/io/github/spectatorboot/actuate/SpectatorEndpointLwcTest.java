package io.github.spectatorboot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.ManualClock;
import io.github.spectatorboot.lwc.LwcStatus;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SpectatorEndpointLwcTest {

  private final StepRegistry registry = new StepRegistry(new ManualClock(), StepRegistryConfig.defaults());
  private final LwcStatus status = new LwcStatus(true, "http://lwc/lwc/api/v1/expressions/app-main",
      "http://lwc/lwc/api/v1/evaluate", 5_000, "ok", 1L, "\"00ab\"",
      List.of(new LwcStatus.Subscribed("s1", "name,c,:eq,:sum", 5_000)), 5_000, 1, 10, 0, null);

  @Test
  void theDescriptionShowsTheActiveSubscriptionsAndTheStreamingState() {
    var endpoint = new SpectatorEndpoint(registry, URI.create("http://atlas/api/v1/publish"), "publish", () -> null,
        () -> status);
    JsonNode json = JsonMapper.builder().build().valueToTree(endpoint.describe());
    assertThat(json.at("/lwc/subscriptions/0/expression").asString()).isEqualTo("name,c,:eq,:sum");
    assertThat(json.at("/lwc/subscriptions/0/id").asString()).isEqualTo("s1");
    assertThat(json.at("/lwc/lastFetch").asString()).isEqualTo("ok");
    assertThat(json.at("/lwc/running").asBoolean()).isTrue();
  }

  @Test
  void withoutStreamingTheDescriptionHasNoLwcState() {
    var endpoint = new SpectatorEndpoint(registry, URI.create("http://atlas/api/v1/publish"), "publish", () -> null);
    assertThat(endpoint.describe().lwc()).isNull();
  }
}
