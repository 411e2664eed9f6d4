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
import java.util.function.IntFunction;
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
 * summaries, gauges and max gauges, with common tags in the queries; also with subscriptions
 * that arrive mid-run, in the middle of a step, first into an empty set and then next to others,
 * whose first step both post in full.
 *
 * <p>Nothing is recorded in the first step: ours takes its first readings then (its start would
 * take them, which this test, driving the steps by hand, does not call).
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
    Map<Long, JsonNode> posts = compare(seed, 30, step -> step == 0 ? EXPRESSIONS : null);
    assertThat(posts).hasSizeGreaterThan(25); // every step with something recorded
    assertThat(posts.toString()).doesNotContain("c-other-app").doesNotContain("c-sum-1m").contains("c-sum-10s");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3, 99})
  void postsTheFirstStepOfASubscriptionAddedMidRunAsAtlasRegistryDoes(long seed) throws Exception {
    String[] first = {EXPRESSIONS[0], EXPRESSIONS[6], EXPRESSIONS[13]};
    Map<Long, JsonNode> posts = compare(seed, 24, step -> switch (step) {
      case 0 -> new String[0];
      case 7 -> first;
      case 15 -> EXPRESSIONS;
      default -> null;
    });
    // the first post is the step in which the first subscriptions arrived; the others join at 15
    assertThat(posts.keySet().iterator().next()).isEqualTo(T0 + 8 * STEP);
    assertThat(posts.get(T0 + 8 * STEP).toString()).contains("c-sum").contains("t-time").contains("g-max");
    assertThat(posts.get(T0 + 15 * STEP).toString()).doesNotContain("t-max");
    assertThat(posts.get(T0 + 16 * STEP).toString()).contains("t-max").contains("d-sq").contains("rate-re");
  }

  /**
   * Runs both registries for {@code steps} LWC steps of random events and returns the posts, which
   * must be the same value by value; {@code served} gives the expressions lwcapi serves from the
   * middle of a step on (both fetch them there), or null to leave them as they are.
   */
  private Map<Long, JsonNode> compare(long seed, int steps, IntFunction<String[]> served) throws Exception {
    Random random = new Random(seed);
    ManualClock clock = new ManualClock(T0, 0);
    lwcapi = new FakeLwcApi();
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

    for (int step = 0; step < steps; step++) {
      long start = T0 + step * STEP;
      int events = step == 0 ? 0 : random.nextInt(60);
      String[] expressions = served.apply(step);
      for (int e = 0; e < events || (e == 0 && expressions != null); e++) {
        clock.setWallTime(start + 1 + random.nextInt((int) STEP - 2));
        if (expressions != null && e == events / 2) {
          lwcapi.serve(expressions);
          fetch.invoke(atlas);
          streamer.refresh();
          int expected = (int) java.util.Arrays.stream(expressions).filter(x -> !x.contains("c-sum-1m")).count();
          assertThat(streamer.status().subscriptions()).hasSize(expected); // 1m dropped
        }
        if (e < events) {
          record(random, ours, atlas);
        }
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
    assertThat(actual.keySet()).isEqualTo(expected.keySet()).isNotEmpty();
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
    assertThat(compared).isGreaterThan(5 * steps);
    return expected;
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
