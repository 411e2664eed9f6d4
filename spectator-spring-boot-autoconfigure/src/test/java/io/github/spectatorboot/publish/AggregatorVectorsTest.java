package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.histogram.PercentileDistributionSummary;
import com.netflix.spectator.api.histogram.PercentileTimer;
import io.github.spectatorboot.publish.Payloads.AggregatorEntry;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.github.spectatorboot.registry.StepSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Replays every scenario of the spectator-py 0.1.18 reference vectors through a
 * {@link StepRegistry} on a {@link ManualClock} and the aggregator encoder, and compares the
 * decoded payloads with the ones spectator-py produced.
 */
class AggregatorVectorsTest {

  static final List<String> VECTORS = List.of(
      "batching.json",
      "counter-and-gauge.json",
      "explicit-statistic.json",
      "gauge-ttl-and-nan.json",
      "percentile-timer.json",
      "timer-summary-counter.json");

  /**
   * Where this project deliberately differs from spectator-py: the value spectator-py sent, the
   * value we send, and why.
   */
  record KnownDifference(String vector, int step, Map<String, String> tags, int op,
      double spectatorPy, double ours, String reason) {}

  static final List<KnownDifference> DIFFERENCES = List.of(
      new KnownDifference("timer-summary-counter.json", 0,
          Map.of("name", "server.requestLatency", "endpoint", "home", "statistic", "count",
              "nf.app", "www", "nf.cluster", "www-main"),
          AggregatorEncoder.OP_ADD, 3, 4,
          "a negative duration counts in count and adds nothing to the totals or the max, as "
              + "Spectator Java's AtlasTimer does (StepTimer); spectator-py ignores it entirely"));

  /** 2023-11-14T22:13:20Z, a multiple of the 5 s step, so each publish below is on a boundary. */
  static final long START = 1_700_000_000_000L;

  /** Every vector in both encodings: Smile (the default, as spectatord) and JSON (as spectator-py). */
  static Stream<Arguments> vectors() {
    return VECTORS.stream().flatMap(v -> Stream.of(PublisherConfig.Encoding.values()).map(e -> Arguments.of(v, e)));
  }

  @Test
  void everyVectorFileIsReplayed() throws IOException {
    try (InputStream readme = AggregatorVectorsTest.class.getResourceAsStream("/vectors/README.md")) {
      assertThat(readme).as("vectors copied into the test resources").isNotNull();
    }
    for (String name : VECTORS) {
      assertThat(AggregatorVectorsTest.class.getResource("/vectors/" + name)).as(name).isNotNull();
    }
    assertThat(DIFFERENCES).allSatisfy(d -> assertThat(VECTORS).contains(d.vector()));
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("vectors")
  void aggregatorPayloadsDecodeToWhatSpectatorPySent(String name, PublisherConfig.Encoding encoding) {
    JsonNode vector = read(name);
    Map<String, String> commonTags = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : vector.get("commonTags").properties()) {
      commonTags.put(e.getKey(), e.getValue().stringValue());
    }
    int batchSize = vector.get("batchSize").intValue();
    ManualClock clock = new ManualClock();
    clock.setWallTime(START);
    StepRegistry registry = new StepRegistry(clock,
        new StepRegistryConfig(Duration.ofSeconds(5), Duration.ofMinutes(15), 100_000, commonTags));
    PayloadEncoder encoder = PayloadEncoder.of(PublisherConfig.Format.AGGREGATOR, encoding);

    int step = 0;
    for (JsonNode s : vector.get("steps")) {
      for (JsonNode event : s.get("events")) {
        apply(registry, event);
      }
      clock.setWallTime(clock.wallTime() + s.get("advanceSecondsBeforePublish").longValue() * 1000);
      StepSnapshot snapshot = registry.poll(clock.wallTime());
      List<EncodedBatch> batches = encoder.encode(snapshot, batchSize);

      String where = name + " step " + step;
      JsonNode expectedPayloads = s.get("payloads");
      assertThat(batches).as(where + ": number of requests").hasSize(expectedPayloads.size());
      List<AggregatorEntry> actual = new ArrayList<>();
      for (EncodedBatch batch : batches) {
        List<AggregatorEntry> entries = Payloads.decodeAggregator(Payloads.tree(batch.body()));
        assertThat(entries).as(where + ": a batch holds what it says, at most batchSize").hasSize(batch.size());
        assertThat(batch.size()).isLessThanOrEqualTo(batchSize);
        actual.addAll(entries);
      }
      List<AggregatorEntry> expected = new ArrayList<>();
      for (JsonNode payload : expectedPayloads) {
        expected.addAll(Payloads.decodeAggregator(payload));
      }
      assertSameEntries(where, applyDifferences(name, step, expected), actual);
      step++;
    }
  }

  private static List<AggregatorEntry> applyDifferences(String name, int step, List<AggregatorEntry> expected) {
    List<AggregatorEntry> out = new ArrayList<>(expected);
    for (KnownDifference d : DIFFERENCES) {
      if (!d.vector().equals(name) || d.step() != step) {
        continue;
      }
      int index = -1;
      for (int i = 0; i < out.size(); i++) {
        AggregatorEntry e = out.get(i);
        if (e.tags().equals(d.tags()) && e.op() == d.op() && Payloads.closeEnough(d.spectatorPy(), e.value())) {
          index = i;
        }
      }
      assertThat(index).as("known difference no longer in the vector: " + d).isNotNegative();
      out.set(index, new AggregatorEntry(new TreeMap<>(d.tags()), d.op(), d.ours()));
    }
    return out;
  }

  private static void assertSameEntries(String where, List<AggregatorEntry> expected, List<AggregatorEntry> actual) {
    Map<Map<String, String>, AggregatorEntry> byTags = new HashMap<>();
    for (AggregatorEntry e : actual) {
      assertThat(byTags.put(e.tags(), e)).as(where + ": sent twice: " + e.tags()).isNull();
    }
    List<String> problems = new ArrayList<>();
    for (AggregatorEntry e : expected) {
      AggregatorEntry a = byTags.remove(e.tags());
      if (a == null) {
        problems.add("missing " + e);
      } else if (a.op() != e.op() || !Payloads.closeEnough(e.value(), a.value())) {
        problems.add("expected " + e + " but sent " + a);
      }
    }
    byTags.values().forEach(a -> problems.add("unexpected " + a));
    if (!problems.isEmpty()) {
      fail(where + ":\n  " + String.join("\n  ", problems));
    }
  }

  private static void apply(StepRegistry registry, JsonNode event) {
    Map<String, String> tags = new TreeMap<>();
    if (event.has("tags")) {
      for (Map.Entry<String, JsonNode> e : event.get("tags").properties()) {
        tags.put(e.getKey(), e.getValue().stringValue());
      }
    }
    Id id = registry.createId(event.get("name").stringValue(), tags);
    switch (event.get("type").stringValue()) {
      case "counter" -> registry.counter(id).add(event.has("amount") ? event.get("amount").doubleValue() : 1.0);
      case "timer" -> registry.timer(id).record(nanos(event.get("seconds").doubleValue()), TimeUnit.NANOSECONDS);
      case "distributionSummary" -> registry.distributionSummary(id).record(event.get("amount").longValue());
      case "gauge" -> {
        JsonNode v = event.get("value");
        registry.gauge(id).set(v.isString() ? Double.parseDouble(v.stringValue()) : v.doubleValue());
      }
      case "percentileTimer" -> PercentileTimer.builder(registry)
          .withId(id)
          .withRange(Duration.ofMillis(10), Duration.ofSeconds(60))
          .build()
          .record(nanos(event.get("seconds").doubleValue()), TimeUnit.NANOSECONDS);
      case "percentileDistributionSummary" -> PercentileDistributionSummary.builder(registry)
          .withId(id)
          .withRange(0, Long.MAX_VALUE)
          .build()
          .record(event.get("amount").longValue());
      default -> throw new IllegalArgumentException("unknown event type in " + event);
    }
  }

  private static long nanos(double seconds) {
    return Math.round(seconds * 1e9);
  }

  private static JsonNode read(String name) {
    try (InputStream in = AggregatorVectorsTest.class.getResourceAsStream("/vectors/" + name)) {
      return Payloads.JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
