package io.github.spectatorboot.lwc;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.atlas.AtlasConfig;
import com.netflix.spectator.atlas.AtlasRegistry;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;

/**
 * Feeds the same events to this registry with its LWC streamer and to Netflix's
 * {@link AtlasRegistry} with LWC on, both subscribed to the same expressions at the same fake
 * lwcapi, and compares what they post, value by value, every LWC step: {@code :sum},
 * {@code :count}, {@code :max}, {@code :min} and {@code :by} over counters, timers, distribution
 * summaries, gauges and max gauges, with common tags in the queries.
 *
 * <p>The first step is left out: ours only takes its first readings then (it cannot know what
 * was recorded before), where {@code AtlasRegistry} reports the meters' first interval.
 */
class LwcDifferentialTest {

  private static final long STEP = 5_000;
  private static final long T0 = 1_700_000_000_000L / 60_000 * 60_000;
  private static final Map<String, String> COMMON_TAGS = Map.of("nf.app", "app1", "nf.cluster", "app1-main");

  private static final String[] EXPRESSIONS = {
      FakeLwcApi.expression("c-sum", "name,c,:eq,:sum", 5_000),
      FakeLwcApi.expression("c-count", "name,c,:eq,:count", 5_000),
      FakeLwcApi.expression("c-by", "nf.app,app1,:eq,name,c,:eq,:and,:sum,(,nf.cluster,k,),:by", 5_000),
      FakeLwcApi.expression("c-other-app", "nf.app,other,:eq,name,c,:eq,:and,:sum", 5_000),
      FakeLwcApi.expression("c-sum-10s", "name,c,:eq,:sum", 10_000),
      FakeLwcApi.expression("c-sum-1m", "name,c,:eq,:sum", 60_000),
      FakeLwcApi.expression("t-time", "name,t,:eq,statistic,totalTime,:eq,:and,:sum", 5_000),
      FakeLwcApi.expression("t-count-by", "name,t,:eq,statistic,count,:eq,:and,:sum,(,k,),:by", 5_000),
      FakeLwcApi.expression("t-max", "name,t,:eq,statistic,max,:eq,:and,:max", 5_000),
      FakeLwcApi.expression("t-all-sum", "name,t,:eq,nf.cluster,app1-main,:eq,:and,:sum", 5_000),
      FakeLwcApi.expression("d-sq", "name,d,:eq,statistic,totalOfSquares,:eq,:and,:sum", 5_000),
      FakeLwcApi.expression("d-max-min", "name,d,:eq,statistic,max,:eq,:and,:min,(,k,),:by", 5_000),
      FakeLwcApi.expression("d-amount", "name,d,:eq,statistic,totalAmount,:eq,:and,:max", 5_000),
      FakeLwcApi.expression("g-max", "name,g,:eq,:max", 5_000),
      FakeLwcApi.expression("g-min-by", "name,g,:eq,:min,(,k,),:by", 5_000),
      FakeLwcApi.expression("g-count", "name,g,:eq,k,(,v0,v1,),:in,:and,:count", 5_000),
      FakeLwcApi.expression("m-max", "name,m,:eq,:max,(,nf.app,),:by", 5_000),
      FakeLwcApi.expression("rate-re", "name,(,c,t,),:in,atlas.dstype,rate,:eq,:and,k,v,:re,:and,:sum", 5_000),
  };

  private FakeLwcApi lwcapi;
  private AtlasRegistry atlas;
  private LwcStreamer streamer;

  @AfterEach
  void stop() {
    if (streamer != null) {
      streamer.close();
    }
    if (atlas != null) {
      atlas.close();
    }
    if (lwcapi != null) {
      lwcapi.close();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 17, 4242})
  void postsTheSameValuesAsAtlasRegistryEveryStep(long seed) throws Exception {
    Random random = new Random(seed);
    ManualClock clock = new ManualClock(T0, 0);
    lwcapi = new FakeLwcApi();
    lwcapi.serve(EXPRESSIONS);
    StepRegistry ours = new StepRegistry(clock, StepRegistryConfig.defaults().withCommonTags(COMMON_TAGS));
    streamer = new LwcStreamer(ours, config(lwcapi.configUri(), lwcapi.evalUri("ours")), WebClient::builder);
    atlas = new AtlasRegistry(clock, atlasConfig(lwcapi.configUri(), lwcapi.evalUri("atlas")));
    Method fetch = AtlasRegistry.class.getDeclaredMethod("fetchSubscriptions");
    fetch.setAccessible(true);
    Method send = AtlasRegistry.class.getDeclaredMethod("sendToLWC");
    send.setAccessible(true);

    // start() would schedule the tasks on its own clock; only the publisher's sender pool is wanted
    var publisher = AtlasRegistry.class.getDeclaredField("publisher");
    publisher.setAccessible(true);
    Object p = publisher.get(atlas);
    Method init = p.getClass().getDeclaredMethod("init");
    init.setAccessible(true);
    init.invoke(p);
    fetch.invoke(atlas);
    streamer.refresh();
    assertThat(streamer.status().subscriptions()).hasSize(EXPRESSIONS.length - 1); // 1m dropped

    int steps = 30;
    for (int step = 0; step < steps; step++) {
      long start = T0 + step * STEP;
      int events = step == 0 ? 0 : random.nextInt(60);
      for (int e = 0; e < events; e++) {
        clock.setWallTime(start + 1 + random.nextInt((int) STEP - 2));
        record(random, ours, atlas);
      }
      clock.setWallTime(start + STEP + 1);
      send.invoke(atlas);
      streamer.tick();
      // ours polls the publish step at the minute as its publisher would: the streamed values must not move
      if ((start + STEP) % 60_000 == 0) {
        ours.poll(start + STEP);
      }
    }

    Map<Long, JsonNode> expected = byTimestamp(lwcapi.posts("atlas"));
    Map<Long, JsonNode> actual = byTimestamp(lwcapi.posts("ours"));
    // nothing was recorded in the first step, so neither posts for it
    assertThat(actual.keySet()).isEqualTo(expected.keySet()).hasSize(steps - 1);
    int compared = 0;
    for (Map.Entry<Long, JsonNode> step : expected.entrySet()) {
      Map<String, Double> x = values(step.getValue());
      Map<String, Double> a = values(actual.get(step.getKey()));
      assertThat(a.keySet()).as("series at %d", step.getKey()).isEqualTo(x.keySet());
      for (Map.Entry<String, Double> e : x.entrySet()) {
        assertThat(a.get(e.getKey())).as("%s at %d", e.getKey(), step.getKey())
            .isCloseTo(e.getValue(), org.assertj.core.data.Offset.offset(1e-9 * Math.max(1.0, Math.abs(e.getValue()))));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(300);
    assertThat(lwcapi.posts("atlas").toString()).doesNotContain("c-other-app").doesNotContain("c-sum-1m").contains("c-sum-10s");
  }

  private static Map<Long, JsonNode> byTimestamp(List<JsonNode> posts) {
    Map<Long, JsonNode> out = new TreeMap<>();
    for (JsonNode p : posts) {
      assertThat(out.put(p.get("timestamp").asLong(), p)).as("one post per step").isNull();
    }
    return out;
  }

  /** {@code id + tags -> value} of one posted body. */
  private static Map<String, Double> values(JsonNode body) {
    Map<String, Double> out = new TreeMap<>();
    for (JsonNode m : body.get("metrics")) {
      Map<String, String> tags = new TreeMap<>();
      m.get("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString()));
      out.put(m.get("id").asString() + tags, m.get("value").asDouble());
    }
    return out;
  }

  private static void record(Random random, Registry ours, Registry atlas) {
    String k = "v" + random.nextInt(3);
    switch (random.nextInt(5)) {
      case 0 -> {
        double amount = random.nextInt(5) == 0 ? 1.0 : random.nextDouble() * 10;
        ours.counter("c", "k", k).add(amount);
        atlas.counter("c", "k", k).add(amount);
      }
      case 1 -> {
        long nanos = (long) (random.nextDouble() * 2e9);
        ours.timer("t", "k", k).record(nanos, TimeUnit.NANOSECONDS);
        atlas.timer("t", "k", k).record(nanos, TimeUnit.NANOSECONDS);
      }
      case 2 -> {
        long amount = random.nextInt(10_000);
        ours.distributionSummary("d", "k", k).record(amount);
        atlas.distributionSummary("d", "k", k).record(amount);
      }
      case 3 -> {
        double v = random.nextDouble() * 100;
        ours.maxGauge("m", "k", k).set(v);
        atlas.maxGauge("m", "k", k).set(v);
      }
      default -> {
        double v = random.nextGaussian();
        ours.gauge("g", "k", k).set(v);
        atlas.gauge("g", "k", k).set(v);
      }
    }
  }

  static LwcConfig config(java.net.URI configUri, java.net.URI evalUri) {
    return new LwcConfig(configUri, evalUri, Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(10),
        true, 10_000, Duration.ofSeconds(1), Duration.ofSeconds(5), true);
  }

  private static AtlasConfig atlasConfig(java.net.URI configUri, java.net.URI evalUri) {
    Map<String, String> settings = Map.of(
        "atlas.step", "PT1M",
        "atlas.lwc.step", "PT5S",
        "atlas.lwc.enabled", "true",
        "atlas.enabled", "false",
        "atlas.config-uri", configUri.toString(),
        "atlas.eval-uri", evalUri.toString(),
        "atlas.autoStart", "false");
    return new AtlasConfig() {
      @Override public String get(String k) {
        return settings.get(k);
      }

      @Override public Map<String, String> commonTags() {
        return COMMON_TAGS;
      }
    };
  }
}
