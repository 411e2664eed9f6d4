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
    assertThat(new SpectatorPage(endpoint, null).index(endpoint.describe())).doesNotContain("Streaming (LWC)");
  }

  @Test
  void thePageShowsTheStreamingStateAndEachSubscription() {
    LwcStatus failing = new LwcStatus(true, "http://lwc/lwc/api/v1/expressions/app-main",
        "http://lwc/lwc/api/v1/evaluate", 5_000, "failed: ConnectException: refused", 1_700_000_000_000L, null,
        List.of(new LwcStatus.Subscribed("s1", "name,c,:eq,:sum", 5_000),
            new LwcStatus.Subscribed("s2", "name,a<b,:eq,:max,(,k,),:by", 10_000)),
        1_700_000_005_000L, 3, 10, 2, "HTTP 500");
    var endpoint = new SpectatorEndpoint(registry, URI.create("http://atlas/api/v1/publish"), "publish", () -> null,
        () -> failing);
    String page = new SpectatorPage(endpoint, null).index(endpoint.describe());
    assertThat(page).contains("<h2>Streaming (LWC)</h2>")
        .contains("<dt>state</dt><dd>RUNNING &middot; every 5 s</dd>")
        .contains("http://lwc/lwc/api/v1/expressions/app-main")
        .contains("<dd class=\"err\">failed: ConnectException: refused at 22:13:20 UTC</dd>")
        .contains("<dd>22:13:25 UTC, 3 values</dd>")
        .contains("<dt>dropped</dt><dd>2</dd>")
        .contains("<dd class=\"err\">HTTP 500</dd>")
        .contains("<li><code>name,c,:eq,:sum</code> <span class=\"muted\">every 5 s, id s1</span></li>")
        .contains("<code>name,a&lt;b,:eq,:max,(,k,),:by</code> <span class=\"muted\">every 10 s, id s2</span>")
        .doesNotContain("a<b");
  }

  @Test
  void thePageSaysWhenLwcapiHasNoSubscriptionForTheApplication() {
    LwcStatus idle = new LwcStatus(true, "http://lwc/x", "http://lwc/y", 5_000, "none", 0, null, List.of(), 0, 0, 0, 0,
        null);
    var endpoint = new SpectatorEndpoint(registry, URI.create("http://atlas/api/v1/publish"), "publish", () -> null,
        () -> idle);
    assertThat(new SpectatorPage(endpoint, null).index(endpoint.describe()))
        .contains("<dt>last step</dt><dd>none yet</dd>")
        .contains("No subscription for this application at lwcapi.");
  }
}
