package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.ManualClock;
import io.github.spectatorboot.publish.Payloads.AggregatorEntry;
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

class AggregatorEncoderTest {

  static final long START = 1_700_000_000_000L;

  ManualClock clock;
  StepRegistry registry;
  final AggregatorEncoder encoder = new AggregatorEncoder();
  /** The same in JSON text. */
  final AggregatorEncoder jsonEncoder = new AggregatorEncoder(false, BatchCompressor.SERIAL);

  @BeforeEach
  void setUp() {
    clock = new ManualClock();
    clock.setWallTime(START);
    registry = new StepRegistry(clock, new StepRegistryConfig(Duration.ofSeconds(5), Duration.ofMinutes(15),
        100_000, Map.of("nf.app", "app", "region", "us-east-1")));
  }

  StepSnapshot nextStep() {
    clock.setWallTime(clock.wallTime() + 5_000);
    return registry.poll();
  }

  static List<AggregatorEntry> decode(List<EncodedBatch> batches) {
    List<AggregatorEntry> entries = new ArrayList<>();
    for (EncodedBatch b : batches) {
      entries.addAll(Payloads.decodeAggregator(Payloads.tree(b.body())));
    }
    return entries;
  }

  static AggregatorEntry find(List<AggregatorEntry> entries, String name, String statistic) {
    return entries.stream()
        .filter(e -> e.tags().get("name").equals(name) && e.tags().get("statistic").equals(statistic))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " " + statistic + " in " + entries));
  }

  @Test
  void valuesAreTheStepsRawDeltas() {
    registry.counter("c").increment(7);
    registry.distributionSummary("d").record(10);
    registry.distributionSummary("d").record(30);

    List<AggregatorEntry> entries = decode(encoder.encode(nextStep(), 10_000));

    assertThat(find(entries, "c", "count").value()).isEqualTo(7.0);
    assertThat(find(entries, "d", "count").value()).isEqualTo(2.0);
    assertThat(find(entries, "d", "totalAmount").value()).isEqualTo(40.0);
    assertThat(find(entries, "d", "totalOfSquares").value()).isEqualTo(1000.0);
    assertThat(find(entries, "d", "max").value()).isEqualTo(30.0);
  }

  @Test
  void countingStatisticsAreAddsAndEverythingElseIsMax() {
    registry.timer("t").record(1, TimeUnit.SECONDS);
    registry.gauge("g").set(1);
    registry.gauge("g2", "statistic", "ratio").set(0.5);
    registry.maxGauge("m").set(3);
    registry.counter("p", "statistic", "percentile", "percentile", "T0001").increment();

    List<AggregatorEntry> entries = decode(encoder.encode(nextStep(), 10_000));

    assertThat(find(entries, "t", "count").op()).isEqualTo(0);
    assertThat(find(entries, "t", "totalTime").op()).isEqualTo(0);
    assertThat(find(entries, "t", "totalOfSquares").op()).isEqualTo(0);
    assertThat(find(entries, "t", "max").op()).isEqualTo(10);
    assertThat(find(entries, "g", "gauge").op()).isEqualTo(10);
    assertThat(find(entries, "g2", "ratio").op()).isEqualTo(10);
    assertThat(find(entries, "m", "max").op()).isEqualTo(10);
    assertThat(find(entries, "p", "percentile").op()).isEqualTo(0);
  }

  @Test
  void zeroAddsAreSkippedButAnIdleTimersMaxOfZeroIsSentAsSpectatorPyDoes() {
    registry.counter("c").increment();
    registry.timer("t").record(1, TimeUnit.SECONDS);
    nextStep();

    List<AggregatorEntry> entries = decode(encoder.encode(nextStep(), 10_000));

    assertThat(entries).noneMatch(e -> e.op() == AggregatorEncoder.OP_ADD);
    assertThat(find(entries, "t", "max").value()).isZero();
  }

  @Test
  void aMeterTagWinsOverACommonTagOfTheSameKey() {
    registry.counter("c", "region", "eu-west-1").increment();

    AggregatorEntry e = find(decode(encoder.encode(nextStep(), 10_000)), "c", "count");

    assertThat(e.tags()).containsEntry("region", "eu-west-1").containsEntry("nf.app", "app");
  }

  @Test
  void eachEntryCarriesTheCommonTagsTheMeterTagsItsStatisticAndItsName() {
    registry.counter("c", "status", "200").increment();

    AggregatorEntry e = find(decode(encoder.encode(nextStep(), 10_000)), "c", "count");

    assertThat(e.tags()).containsOnly(
        Map.entry("nf.app", "app"), Map.entry("region", "us-east-1"), Map.entry("status", "200"),
        Map.entry("statistic", "count"), Map.entry("name", "c"));
  }

  @Test
  void eachBatchHasItsOwnStringTableAndAtMostBatchSizeEntries() {
    for (int i = 0; i < 10; i++) {
      registry.counter("c" + i, "k" + i, "v" + i).increment(i + 1);
    }
    StepSnapshot step = nextStep();

    List<EncodedBatch> batches = encoder.encode(step, 4);

    assertThat(batches).hasSize(3);
    for (EncodedBatch b : batches) {
      JsonNode array = Payloads.tree(b.body());
      List<AggregatorEntry> entries = Payloads.decodeAggregator(array);
      assertThat(entries).hasSize(b.size()).hasSizeLessThanOrEqualTo(4);
      int tableSize = array.get(0).intValue();
      // no string in a table is unused: it holds what this batch needs, not the whole step's
      assertThat(tableSize).isLessThan(2 + 2 * 2 + 4 * 4 + 1);
    }
    assertThat(decode(batches)).extracting(e -> e.tags().get("name")).doesNotHaveDuplicates().hasSize(10);
  }

  @Test
  void zerosSkippedDoNotCountAgainstTheBatchSize() {
    for (int i = 0; i < 6; i++) {
      registry.counter("c" + i).increment();
    }
    nextStep();
    registry.counter("c5").increment();

    List<EncodedBatch> batches = encoder.encode(nextStep(), 2);

    assertThat(batches).hasSize(1);
    assertThat(decode(batches)).singleElement().satisfies(e -> assertThat(e.tags()).containsEntry("name", "c5"));
  }

  @Test
  void nothingToSendMeansNoRequest() {
    registry.counter("c");
    assertThat(encoder.encode(nextStep(), 10)).isEmpty();
  }

  @Test
  void wholeNumbersAreWrittenWithoutAFraction() {
    registry.counter("c").increment(3);
    registry.gauge("g").set(0.25);

    String json = new String(Payloads.gunzip(jsonEncoder.encode(nextStep(), 10).get(0).body()),
        java.nio.charset.StandardCharsets.UTF_8);

    assertThat(json).contains(",0,3").contains(",10,0.25").doesNotContain("3.0");
  }
}
