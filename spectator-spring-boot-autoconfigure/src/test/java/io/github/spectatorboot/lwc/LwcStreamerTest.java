package io.github.spectatorboot.lwc;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.ManualClock;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;

/**
 * The streamer against a fake lwcapi on 127.0.0.1 that serves expressions with an ETag, answers
 * 304, changes them, goes away and comes back; every posted value is checked.
 */
class LwcStreamerTest {

  private static final long STEP = 5_000;
  private static final long T0 = 1_700_000_000_000L / 60_000 * 60_000;

  private final ManualClock clock = new ManualClock(T0, 0);
  private final StepRegistry registry = new StepRegistry(clock,
      StepRegistryConfig.defaults().withCommonTags(Map.of("nf.app", "app1", "nf.cluster", "app1-main")));
  private final FakeLwcApi lwcapi = new FakeLwcApi();
  private final LwcStreamer streamer = new LwcStreamer(registry,
      LwcDifferentialTest.config(lwcapi.configUri(), lwcapi.evalUri("ours")), WebClient::builder, Duration.ofMillis(10));

  @AfterEach
  void stop() {
    streamer.close();
    lwcapi.close();
  }

  @Test
  void followsTheSubscriptionsThroughEtagsChangesAndAnOutageAndPostsEachValue() {
    var counter = registry.counter("lc", "k", "a");
    lwcapi.serve(FakeLwcApi.expression("sum", "name,lc,:eq,:sum", 5_000));
    streamer.refresh();
    String firstTag = lwcapi.etag();
    assertThat(streamer.status().etag()).isEqualTo(firstTag);
    assertThat(lwcapi.ifNoneMatch).containsExactly("null");
    assertThat(ids(streamer)).containsExactly("sum");

    stepTo(0);
    counter.increment(10);
    stepTo(1);
    assertThat(lastPost()).containsExactly(Map.entry("sum{name=lc}", 2.0));
    assertThat(lwcapi.contentEncodings).containsOnly("ours:gzip");

    // unchanged: 304, same set
    streamer.refresh();
    assertThat(lwcapi.ifNoneMatch).last().isEqualTo(firstTag);
    assertThat(lwcapi.notModified.get()).isEqualTo(1);
    assertThat(streamer.status().lastFetch()).isEqualTo("not-modified");
    assertThat(ids(streamer)).containsExactly("sum");

    // changed: the new one comes in at once, the dropped one lingers for 15 refreshes
    lwcapi.serve(FakeLwcApi.expression("by", "name,lc,:eq,:max,(,k,nf.app,),:by", 5_000),
        FakeLwcApi.expression("one-minute", "name,lc,:eq,:sum", 60_000),
        FakeLwcApi.expression("bad", "name,lc,:eq,:frobnicate", 5_000));
    streamer.refresh();
    assertThat(streamer.status().etag()).isEqualTo(lwcapi.etag()).isNotEqualTo(firstTag);
    assertThat(ids(streamer)).containsExactlyInAnyOrder("sum", "by");
    counter.increment(5);
    stepTo(2);
    assertThat(lastPost()).containsOnly(Map.entry("sum{name=lc}", 1.0), Map.entry("by{k=a, name=lc, nf.app=app1}", 1.0));

    // gone: the last good set stays, values that cannot be posted are counted
    lwcapi.goAway();
    streamer.refresh();
    assertThat(streamer.status().lastFetch()).startsWith("failed");
    assertThat(ids(streamer)).containsExactlyInAnyOrder("sum", "by");
    int posts = lwcapi.posts("ours").size();
    counter.increment(20);
    stepTo(3);
    assertThat(streamer.status().dropped()).isEqualTo(2);
    assertThat(streamer.status().lastError()).isNotNull();
    assertThat(registry.counter("spectator.lwc.measurements", "id", "dropped", "error", "other").count()).isEqualTo(0);
    registry.poll(T0 + 60_000);
    assertThat(registry.counter("spectator.lwc.measurements", "id", "dropped", "error", "other").actualCount()).isEqualTo(2);

    // still gone 150 s later: the removed subscription expires, the last listed one stays
    clock.setWallTime(T0 + 3 * STEP + 151_000);
    streamer.refresh();
    assertThat(ids(streamer)).containsExactly("by");

    // back: a 304 against the last ETag; the first step after the gap only takes readings
    lwcapi.comeBack();
    streamer.refresh();
    assertThat(streamer.status().lastFetch()).isEqualTo("not-modified");
    long gapStart = (T0 + 3 * STEP + 151_000) / STEP;
    clock.setWallTime((gapStart + 1) * STEP + 1);
    streamer.tick();
    assertThat(lwcapi.posts("ours")).hasSize(posts);
    counter.increment(7);
    clock.setWallTime((gapStart + 2) * STEP + 1);
    streamer.tick();
    assertThat(lastPost()).containsExactly(Map.entry("by{k=a, name=lc, nf.app=app1}", 1.4));
  }

  @Test
  void withoutSubscriptionsAStepOnlyTakesReadingsSoTheFirstStepOfANewSubscriptionIsPostedInFull() {
    var counter = registry.counter("lc");
    streamer.refresh();
    stepTo(1);
    counter.increment(3);
    stepTo(2);
    assertThat(lwcapi.posts("ours")).isEmpty();
    assertThat(streamer.status().lastEvalTimestamp()).isZero();

    // recorded before the subscription arrives, in the same step: AtlasRegistry posts it, so do we
    counter.increment(2);
    lwcapi.serve(FakeLwcApi.expression("sum", "name,lc,:eq,:sum", 5_000));
    streamer.refresh();
    counter.increment(3);
    stepTo(3);
    assertThat(lastPost()).containsExactly(Map.entry("sum{name=lc}", 1.0));
    assertThat(streamer.status().lastEvalTimestamp()).isEqualTo(T0 + 3 * STEP);
  }

  @Test
  void aPostAnswered503IsRetriedAndCountedOnceAsSent() {
    registry.counter("lc").increment(5);
    lwcapi.serve(FakeLwcApi.expression("sum", "name,lc,:eq,:sum", 5_000));
    streamer.refresh();
    stepTo(0);
    registry.counter("lc").increment(5);
    lwcapi.evalStatuses.add(503);
    stepTo(1);
    assertThat(lwcapi.postAttempts.get()).isEqualTo(2);
    assertThat(lastPost()).containsExactly(Map.entry("sum{name=lc}", 1.0));
    assertThat(streamer.status().sent()).isEqualTo(1);
    assertThat(streamer.status().dropped()).isZero();
  }

  @Test
  void aPostAnswered500IsNotRetriedAndItsValuesAreCountedAsDropped() {
    lwcapi.serve(FakeLwcApi.expression("sum", "name,lc,:eq,:sum", 5_000),
        FakeLwcApi.expression("by", "name,lc,:eq,:sum,(,k,),:by", 5_000));
    streamer.refresh();
    stepTo(0);
    registry.counter("lc", "k", "a").increment(5);
    lwcapi.evalStatuses.add(500);
    stepTo(1);
    assertThat(lwcapi.postAttempts.get()).isEqualTo(1);
    assertThat(lwcapi.posts("ours")).isEmpty();
    assertThat(streamer.status().dropped()).isEqualTo(2);
    assertThat(streamer.status().lastError()).isEqualTo("HTTP 500");
    registry.poll(T0 + 60_000);
    assertThat(registry.counter("spectator.lwc.measurements", "id", "dropped", "error", "http-error").actualCount())
        .isEqualTo(2);
  }

  @Test
  void theFirstReadingsAtTheStartLetTheFirstStepBePosted() {
    var counter = registry.counter("lc");
    counter.increment(100);
    clock.setWallTime(T0 + STEP + 2_000);
    lwcapi.serve(FakeLwcApi.expression("sum", "name,lc,:eq,:sum", 5_000));
    streamer.refresh();
    streamer.takeFirstReadings();
    counter.increment(4);
    clock.setWallTime(T0 + 2 * STEP + 1);
    streamer.tick();
    // what was recorded before the start is left out, as the streamer did not know it
    assertThat(lastPost()).containsExactly(Map.entry("sum{name=lc}", 0.8));
  }

  private void stepTo(int step) {
    clock.setWallTime(T0 + step * STEP + 1);
    streamer.tick();
  }

  private Map<String, Double> lastPost() {
    List<JsonNode> posts = lwcapi.posts("ours");
    assertThat(posts).isNotEmpty();
    JsonNode last = posts.get(posts.size() - 1);
    Map<String, Double> out = new java.util.TreeMap<>();
    for (JsonNode m : last.get("metrics")) {
      Map<String, String> tags = new java.util.TreeMap<>();
      m.get("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString()));
      out.put(m.get("id").asString() + tags, m.get("value").asDouble());
    }
    assertThat(last.get("messages").isArray()).isTrue();
    return out;
  }

  private static List<String> ids(LwcStreamer s) {
    return s.status().subscriptions().stream().map(LwcStatus.Subscribed::id).toList();
  }
}
