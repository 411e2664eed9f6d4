package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Measurement;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Tag;
import com.netflix.spectator.api.histogram.PercentileTimer;
import com.netflix.spectator.atlas.AtlasConfig;
import com.netflix.spectator.atlas.AtlasRegistry;
import com.netflix.spectator.atlas.Publisher;
import com.netflix.spectator.atlas.impl.EvalPayload;
import com.netflix.spectator.atlas.impl.PublishPayload;
import io.github.spectatorboot.publish.Payloads.Datapoint;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Feeds the same events to a {@link StepRegistry} published in the publish API format and to
 * Netflix's {@link AtlasRegistry} (its own {@code sendToAtlas}, with a publisher that keeps the
 * payloads), and compares the datapoints: tags with {@code atlas.dstype}, timestamps, values.
 */
class PublishApiDifferentialTest {

  /** A whole minute. */
  static final long START = 1_700_000_040_000L;
  static final Map<String, String> COMMON = Map.of("nf.app", "www", "nf.cluster", "www-main");
  static final List<String> NAMES = List.of("requests", "latency", "size", "queue", "peak", "db.query");

  /** The events of one step, recorded into any registry. */
  static void record(Registry r, int step) {
    r.counter("requests", "status", "200").increment(120 + step);
    r.counter("requests", "status", "500").increment(step % 2);
    r.timer("latency").record(100, TimeUnit.MILLISECONDS);
    r.timer("latency").record(2500 + step, TimeUnit.MILLISECONDS);
    r.distributionSummary("size").record(1024);
    r.distributionSummary("size").record(4096 * (step + 1));
    r.gauge("queue").set(7 + step);
    r.maxGauge("peak").set(3);
    r.maxGauge("peak").set(9 + step);
    PercentileTimer.builder(r).withName("db.query").withRange(Duration.ofMillis(10), Duration.ofSeconds(60)).build()
        .record(42 + 10L * step, TimeUnit.MILLISECONDS);
  }

  @Test
  void publishApiPayloadsCarryWhatAtlasRegistrySendsForTheSameEvents() throws Exception {
    ManualClock ours = new ManualClock();
    ours.setWallTime(START);
    StepRegistry stepRegistry = new StepRegistry(ours,
        new StepRegistryConfig(Duration.ofMinutes(1), Duration.ofMinutes(15), 100_000, COMMON));

    ManualClock theirs = new ManualClock();
    theirs.setWallTime(START + 30_000);
    List<PublishPayload> sent = new ArrayList<>();
    AtlasRegistry atlas = new AtlasRegistry(theirs, new OneMinuteConfig(sent::add));
    Method sendToAtlas = AtlasRegistry.class.getDeclaredMethod("sendToAtlas");
    sendToAtlas.setAccessible(true);

    PublishApiEncoder encoder = new PublishApiEncoder();
    for (int step = 0; step < 3; step++) {
      // step 2 is idle: counters and timers report 0, the max gauge nothing
      if (step != 2) {
        record(stepRegistry, step);
        record(atlas, step);
      }
      long end = START + (step + 1) * 60_000L;
      List<Datapoint> actual = new ArrayList<>();
      for (EncodedBatch b : encoder.encode(stepRegistry.poll(end), 10_000)) {
        actual.addAll(Payloads.decodePublish(Payloads.tree(b.body())));
      }
      theirs.setWallTime(end + 30_000);
      sent.clear();
      sendToAtlas.invoke(atlas);
      List<Datapoint> expected = new ArrayList<>();
      for (PublishPayload p : sent) {
        for (Measurement m : p.getMetrics()) {
          Map<String, String> tags = new TreeMap<>(p.getTags());
          tags.put("name", m.id().name());
          for (Tag t : m.id().tags()) {
            tags.put(t.key(), t.value());
          }
          expected.add(new Datapoint(tags, m.timestamp(), m.value()));
        }
      }
      assertSamePoints("step " + step, ofOurMeters(expected), ofOurMeters(actual));
    }
  }

  private static List<Datapoint> ofOurMeters(List<Datapoint> points) {
    return points.stream().filter(p -> NAMES.contains(p.tags().get("name"))).toList();
  }

  private static void assertSamePoints(String where, List<Datapoint> expected, List<Datapoint> actual) {
    assertThat(expected).as(where + ": AtlasRegistry sent something").isNotEmpty();
    Map<Map<String, String>, Datapoint> byTags = new TreeMap<>(PublishApiDifferentialTest::compare);
    for (Datapoint a : actual) {
      assertThat(byTags.put(a.tags(), a)).as(where + ": sent twice: " + a.tags()).isNull();
    }
    List<String> problems = new ArrayList<>();
    for (Datapoint e : expected) {
      Datapoint a = byTags.remove(e.tags());
      if (a == null) {
        problems.add("missing " + e);
      } else if (a.timestamp() != e.timestamp() || !Payloads.closeEnough(e.value(), a.value())) {
        problems.add("AtlasRegistry sent " + e + " but we sent " + a);
      }
    }
    byTags.values().forEach(a -> problems.add("AtlasRegistry did not send " + a));
    if (!problems.isEmpty()) {
      fail(where + ":\n  " + String.join("\n  ", problems));
    }
  }

  private static int compare(Map<String, String> a, Map<String, String> b) {
    return a.toString().compareTo(b.toString());
  }

  /** One-minute step and lwc step, the test's publisher, the common tags. */
  record OneMinuteConfig(Consumer<PublishPayload> sink) implements AtlasConfig {
    @Override public String get(String k) {
      return switch (k) {
        case "atlas.step", "atlas.lwc.step" -> "PT1M";
        default -> null;
      };
    }

    @Override public Map<String, String> commonTags() {
      return COMMON;
    }

    @Override public Publisher publisher() {
      return new Publisher() {
        @Override public void init() {
        }

        @Override public CompletableFuture<Void> publish(PublishPayload payload) {
          sink.accept(payload);
          return CompletableFuture.completedFuture(null);
        }

        @Override public CompletableFuture<Void> publish(EvalPayload payload) {
          return CompletableFuture.completedFuture(null);
        }

        @Override public void close() {
        }
      };
    }
  }
}
