package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.netflix.spectator.api.ManualClock;
import io.github.spectatorboot.publish.Payloads.Datapoint;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.github.spectatorboot.registry.StepSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PublishApiEncoderTest {

  /** A whole minute, 2023-11-14T22:14:00Z. */
  static final long START = 1_700_000_040_000L;

  ManualClock clock;
  StepRegistry registry;
  final PublishApiEncoder encoder = new PublishApiEncoder();

  @BeforeEach
  void setUp() {
    clock = new ManualClock();
    clock.setWallTime(START);
    registry = new StepRegistry(clock, new StepRegistryConfig(Duration.ofMinutes(1), Duration.ofMinutes(15),
        100_000, Map.of("nf.app", "www", "nf.cluster", "www-main")));
  }

  StepSnapshot nextStep() {
    clock.setWallTime(clock.wallTime() + 60_000);
    return registry.poll();
  }

  List<Datapoint> decode(List<EncodedBatch> batches) {
    List<Datapoint> points = new ArrayList<>();
    for (EncodedBatch b : batches) {
      points.addAll(Payloads.decodePublish(Payloads.tree(b.body())));
    }
    return points;
  }

  Datapoint find(List<Datapoint> points, String name, String statistic) {
    return points.stream()
        .filter(p -> p.tags().get("name").equals(name) && p.tags().get("statistic").equals(statistic))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " " + statistic + " in " + points));
  }

  @Test
  void bodyHasTheCommonTagsOnTopAndEveryMetricStampedWithTheEndOfTheStep() {
    registry.counter("server.requests", "status", "200").increment(120);
    StepSnapshot step = nextStep();

    List<EncodedBatch> batches = encoder.encode(step, 10_000);

    assertThat(batches).hasSize(1);
    JsonNode body = Payloads.tree(batches.get(0).body());
    assertThat(body.propertyNames()).containsExactly("tags", "metrics");
    assertThat(body.get("tags").get("nf.app").stringValue()).isEqualTo("www");
    assertThat(body.get("tags").get("nf.cluster").stringValue()).isEqualTo("www-main");
    JsonNode metric = body.get("metrics").get(0);
    assertThat(metric.propertyNames()).containsExactly("tags", "timestamp", "value");
    assertThat(metric.get("timestamp").longValue()).isEqualTo(START + 60_000);
    assertThat(metric.get("tags").get("nf.app")).as("common tags are not repeated per metric").isNull();
  }

  @Test
  void countersAreRatesPerSecondWithDsTypeRate() {
    registry.counter("server.requests", "status", "200").increment(120);

    Datapoint p = find(decode(encoder.encode(nextStep(), 10_000)), "server.requests", "count");

    assertThat(p.value()).isEqualTo(2.0);
    assertThat(p.tags()).containsEntry("atlas.dstype", "rate").containsEntry("status", "200");
  }

  @Test
  void timerCountsAndTotalsAreRatesAndItsMaxIsAGauge() {
    var timer = registry.timer("db.query");
    timer.record(3, TimeUnit.SECONDS);
    timer.record(9, TimeUnit.SECONDS);

    List<Datapoint> points = decode(encoder.encode(nextStep(), 10_000));

    assertThat(find(points, "db.query", "count").value()).isCloseTo(2.0 / 60, within(1e-12));
    assertThat(find(points, "db.query", "totalTime").value()).isCloseTo(12.0 / 60, within(1e-12));
    assertThat(find(points, "db.query", "totalOfSquares").value()).isCloseTo(90.0 / 60, within(1e-12));
    assertThat(find(points, "db.query", "max").value()).isEqualTo(9.0);
    assertThat(find(points, "db.query", "count").tags()).containsEntry("atlas.dstype", "rate");
    assertThat(find(points, "db.query", "totalOfSquares").tags()).containsEntry("atlas.dstype", "rate");
    assertThat(find(points, "db.query", "max").tags()).containsEntry("atlas.dstype", "gauge");
  }

  @Test
  void gaugesAreSentAsTheyAreWithDsTypeGauge() {
    registry.gauge("queue.size").set(42.5);

    Datapoint p = find(decode(encoder.encode(nextStep(), 10_000)), "queue.size", "gauge");

    assertThat(p.value()).isEqualTo(42.5);
    assertThat(p.tags()).containsEntry("atlas.dstype", "gauge");
  }

  @Test
  void percentileCountersAreRates() {
    registry.counter("db.query", "statistic", "percentile", "percentile", "T0042").increment(60);

    Datapoint p = find(decode(encoder.encode(nextStep(), 10_000)), "db.query", "percentile");

    assertThat(p.value()).isEqualTo(1.0);
    assertThat(p.tags()).containsEntry("atlas.dstype", "rate").containsEntry("percentile", "T0042");
  }

  @Test
  void idleCountersAndTimersReportZeroUntilTheyExpire() {
    registry.counter("idle.counter").increment();
    registry.timer("idle.timer").record(1, TimeUnit.SECONDS);
    nextStep();

    List<Datapoint> points = decode(encoder.encode(nextStep(), 10_000));

    assertThat(find(points, "idle.counter", "count").value()).isZero();
    assertThat(find(points, "idle.timer", "count").value()).isZero();
    assertThat(find(points, "idle.timer", "max").value()).isZero();
  }

  @Test
  void nanIsNeverSent() {
    registry.gauge("never.set");
    registry.gauge("stopped").set(Double.NaN);
    registry.maxGauge("idle.max");

    List<Datapoint> points = decode(encoder.encode(nextStep(), 10_000));

    assertThat(points).noneMatch(p -> Double.isNaN(p.value()));
    assertThat(points).noneMatch(p -> p.tags().get("name").equals("stopped") || p.tags().get("name").equals("never.set"));
  }

  @Test
  void anExplicitStatisticTagIsWrittenOnce() {
    registry.counter("cache.ops", "statistic", "totalAmount").increment(60);

    // Payloads.JSON fails on a duplicate key
    Datapoint p = find(decode(encoder.encode(nextStep(), 10_000)), "cache.ops", "totalAmount");

    assertThat(p.value()).isEqualTo(1.0);
  }

  @Test
  void batchesHoldAtMostBatchSizeMetricsEachWithTheCommonTags() {
    for (int i = 0; i < 7; i++) {
      registry.counter("c" + i).increment();
    }
    StepSnapshot step = nextStep();

    List<EncodedBatch> batches = encoder.encode(step, 3);

    assertThat(batches).allSatisfy(b -> {
      assertThat(b.size()).isLessThanOrEqualTo(3);
      JsonNode body = Payloads.tree(b.body());
      assertThat(body.get("metrics").size()).isEqualTo(b.size());
      assertThat(body.get("tags").get("nf.app").stringValue()).isEqualTo("www");
    });
    assertThat(batches.stream().mapToInt(EncodedBatch::size).sum()).isEqualTo(step.size());
    assertThat(decode(batches)).extracting(p -> p.tags().get("name")).doesNotHaveDuplicates();
  }

  @Test
  void anEmptyStepNeedsNoRequest() {
    assertThat(encoder.encode(StepSnapshot.empty(START, 60_000, Map.of()), 10)).isEmpty();
  }

  @Test
  void smileBodiesTakeNoMoreBytesThanJsonBodiesAndJsonBodiesFewerThanTheirTextAtTheFastestDeflateLevel() {
    for (int i = 0; i < 2_000; i++) {
      registry.counter("requests." + (i % 20), "endpoint", "/api/resource" + i / 20).increment(1 + i % 7);
      registry.timer("latency." + (i % 20), "endpoint", "/api/resource" + i / 20).record(1 + i % 900, TimeUnit.MILLISECONDS);
    }
    StepSnapshot step = nextStep();
    for (PublisherConfig.Format format : List.of(PublisherConfig.Format.PUBLISH, PublisherConfig.Format.AGGREGATOR)) {
      long smile = Payloads.bodyBytes(PayloadEncoder.of(format, PublisherConfig.Encoding.SMILE).encode(step, 1_000));
      List<EncodedBatch> json = PayloadEncoder.of(format, PublisherConfig.Encoding.JSON).encode(step, 1_000);
      // the publish API's Smile repeats no string, but takes 10 bytes for a fraction (this step
      // has many: the gain is small here, a fifth in PublishStepBenchmark); the aggregator writes
      // each string once in either encoding: about as many bytes as JSON
      double most = format == PublisherConfig.Format.PUBLISH ? 1.0 : 1.05;
      assertThat((double) smile).as("%s: Smile %d bytes against JSON %d", format, smile, Payloads.bodyBytes(json))
          .isLessThanOrEqualTo(most * Payloads.bodyBytes(json));
      assertThat(Payloads.bodyBytes(json)).as("%s: JSON against its text at level 1", format)
          .isLessThan(Payloads.bodyBytesAtFastestLevel(json));
    }
  }
}
