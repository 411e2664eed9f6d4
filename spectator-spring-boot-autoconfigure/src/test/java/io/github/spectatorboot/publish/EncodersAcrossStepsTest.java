package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Tag;
import io.github.spectatorboot.publish.Payloads.AggregatorEntry;
import io.github.spectatorboot.publish.Payloads.Datapoint;
import io.github.spectatorboot.registry.AtlasNames;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.github.spectatorboot.registry.StepSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both encoders over many steps, against the snapshot they were given: what they keep from one
 * step to the next (encoded tags, string indexes) never leaks into the wrong measurement, however
 * meters come and go, and the values read back as the exact doubles of the snapshot. Encoding the
 * batches on several threads gives the same bytes as on one.
 */
class EncodersAcrossStepsTest {

  static final long START = 1_700_000_000_000L;
  static final Map<String, String> COMMON = Map.of("nf.app", "app", "nf.node", "i-1");

  final ExecutorService pool = Executors.newFixedThreadPool(2);
  final ManualClock clock = new ManualClock();
  final SplittableRandom random = new SplittableRandom(5);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  StepRegistry registry(Duration step, Duration ttl) {
    clock.setWallTime(START);
    return new StepRegistry(clock, new StepRegistryConfig(step, ttl, 1_000_000, COMMON));
  }

  StepSnapshot nextStep(StepRegistry registry) {
    clock.setWallTime(clock.wallTime() + registry.stepMillis());
    return registry.poll();
  }

  /** Records into {@code count} meters named {@code prefix}, with fractional amounts and a tag value of their own. */
  void record(StepRegistry registry, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      String endpoint = "/" + prefix + "/" + i;
      switch (i % 3) {
        case 0 -> registry.counter(prefix + ".requests", "endpoint", endpoint).increment(1 + random.nextInt(9));
        case 1 -> registry.timer(prefix + ".latency", "endpoint", endpoint).record(random.nextLong(1, 10_000_000), TimeUnit.NANOSECONDS);
        default -> registry.gauge(prefix + ".size", "endpoint", endpoint).set(random.nextDouble() * 1e6);
      }
    }
  }

  static Map<String, String> tagsOf(StepSnapshot s, int i, boolean withCommon) {
    Map<String, String> tags = new TreeMap<>();
    if (withCommon) {
      tags.putAll(s.commonTags());
    }
    Id id = s.id(i);
    for (Tag t : id.tags()) {
      tags.put(t.key(), t.value());
    }
    tags.put(AtlasNames.NAME, id.name());
    tags.put(AtlasNames.STATISTIC, s.statistic(i));
    return tags;
  }

  static void assertPublishApi(StepSnapshot s, List<EncodedBatch> batches) {
    List<Datapoint> points = new ArrayList<>();
    for (EncodedBatch b : batches) {
      points.addAll(Payloads.decodePublish(Payloads.tree(b.body())));
    }
    assertThat(points).hasSize(s.size());
    for (int i = 0; i < s.size(); i++) {
      Map<String, String> expected = tagsOf(s, i, true);
      expected.put(AtlasNames.DS_TYPE, s.isRate(i) ? AtlasNames.DS_TYPE_RATE : AtlasNames.DS_TYPE_GAUGE);
      Datapoint p = points.get(i);
      assertThat(p.tags()).as("tags of measurement %d", i).isEqualTo(expected);
      assertThat(p.timestamp()).isEqualTo(s.timestamp());
      assertThat(Double.doubleToRawLongBits(p.value())).as("%s read back for %s", p.value(), s.rate(i))
          .isEqualTo(Double.doubleToRawLongBits(s.rate(i)));
    }
  }

  static void assertAggregator(StepSnapshot s, List<EncodedBatch> batches) {
    List<AggregatorEntry> entries = new ArrayList<>();
    for (EncodedBatch b : batches) {
      entries.addAll(Payloads.decodeAggregator(Payloads.tree(b.body())));
    }
    int e = 0;
    for (int i = 0; i < s.size(); i++) {
      int op = AggregatorEncoder.op(s.statistic(i));
      if (op == AggregatorEncoder.OP_ADD && s.delta(i) == 0.0) {
        continue;
      }
      AggregatorEntry entry = entries.get(e++);
      assertThat(entry.tags()).as("tags of measurement %d", i).isEqualTo(tagsOf(s, i, true));
      assertThat(entry.op()).isEqualTo(op);
      assertThat(Double.doubleToRawLongBits(entry.value())).as("%s read back for %s", entry.value(), s.delta(i))
          .isEqualTo(Double.doubleToRawLongBits(s.delta(i)));
    }
    assertThat(entries).hasSize(e);
  }

  @ParameterizedTest
  @EnumSource(PublisherConfig.Encoding.class)
  void metersThatComeAndGoNeverGetAnotherMetersTagsInEitherFormat(PublisherConfig.Encoding encoding) {
    StepRegistry registry = registry(Duration.ofMinutes(1), Duration.ofMinutes(3));
    PayloadEncoder publish = PayloadEncoder.of(PublisherConfig.Format.PUBLISH, encoding);
    PayloadEncoder aggregator = PayloadEncoder.of(PublisherConfig.Format.AGGREGATOR, encoding);
    for (int step = 0; step < 8; step++) {
      // old meters expire, new ones land between them in the registry's order
      record(registry, "s" + step, 300);
      record(registry, "steady", 200 + 50 * step);
      StepSnapshot s = nextStep(registry);
      assertPublishApi(s, publish.encode(s, 97));
      assertAggregator(s, aggregator.encode(s, 97));
    }
  }

  @Test
  void aSmileBodyWithMoreStringsThanSmilesTablesHoldReadsBack() {
    // Smile refers back to at most 1,024 keys and 1,024 values, then starts its tables again, and
    // never refers to an index whose low byte is 0xFE or 0xFF: 6,000 distinct values of 1 to
    // 100 bytes in one body cross both rules several times
    StepRegistry registry = registry(Duration.ofMinutes(1), Duration.ofMinutes(15));
    for (int i = 0; i < 6_000; i++) {
      String value = ("v" + i + "-").repeat(100).substring(0, 1 + i % 100);
      registry.counter("c" + i % 70, "k" + i % 1_500, value, "endpoint", "/e" + i % 3).increment(1 + i % 9);
    }
    StepSnapshot s = nextStep(registry);
    PublishApiEncoder publish = new PublishApiEncoder();
    AggregatorEncoder aggregator = new AggregatorEncoder();
    for (int step = 0; step < 2; step++) {
      List<EncodedBatch> bodies = publish.encode(s, 10_000);
      assertThat(bodies).hasSize(1);
      assertPublishApi(s, bodies);
      assertAggregator(s, aggregator.encode(s, 10_000));
    }
  }

  @Test
  void tagValuesOfMetersLongGoneAreForgottenByBothEncoders() {
    StepRegistry registry = registry(Duration.ofSeconds(5), Duration.ofSeconds(10));
    PublishApiEncoder publish = new PublishApiEncoder();
    AggregatorEncoder aggregator = new AggregatorEncoder();
    for (int step = 0; step < 12; step++) {
      // each step 2,000 meters with tag values never seen before; each lives two steps
      record(registry, "churn" + step, 2_000);
      StepSnapshot s = nextStep(registry);
      assertPublishApi(s, publish.encode(s, 1_000));
      assertAggregator(s, aggregator.encode(s, 1_000));
      assertThat(publish.internedStrings()).as("publish API strings kept at step %d", step)
          .isLessThan(4 * 2 * 2_000 + 1_024);
      assertThat(aggregator.internedStrings()).as("aggregator strings kept at step %d", step)
          .isLessThan(4 * 2 * 2_000 + 1_024);
    }
  }

  @ParameterizedTest
  @EnumSource(PublisherConfig.Encoding.class)
  void batchesEncodedOnSeveralThreadsAreTheBytesOfOneThread(PublisherConfig.Encoding encoding) {
    // meters come and go, so the encoders forget strings and start their tables again between
    // steps (the aggregator in both encodings, the publish API in Smile, which alone interns tag
    // strings); each worker's tables must start again with them
    StepRegistry registry = registry(Duration.ofSeconds(5), Duration.ofSeconds(10));
    boolean smile = encoding == PublisherConfig.Encoding.SMILE;
    BatchCompressor threads = new BatchCompressor(pool, 3);
    PublishApiEncoder publishSerial = new PublishApiEncoder(smile, BatchCompressor.SERIAL);
    PublishApiEncoder publishParallel = new PublishApiEncoder(smile, threads);
    AggregatorEncoder aggregatorSerial = new AggregatorEncoder(smile, BatchCompressor.SERIAL);
    AggregatorEncoder aggregatorParallel = new AggregatorEncoder(smile, threads);
    int forgotten = 0;
    int strings = 0;
    int aggregatorForgotten = 0;
    int aggregatorStrings = 0;
    for (int step = 0; step < 12; step++) {
      record(registry, "m", 600);
      record(registry, "churn" + step, 1_500);
      StepSnapshot s = nextStep(registry);
      List<EncodedBatch> publish = publishParallel.encode(s, 250);
      assertSameBodies(publishSerial.encode(s, 250), publish);
      assertPublishApi(s, publish);
      List<EncodedBatch> aggregator = aggregatorParallel.encode(s, 250);
      assertSameBodies(aggregatorSerial.encode(s, 250), aggregator);
      assertAggregator(s, aggregator);
      forgotten += publishParallel.internedStrings() < strings ? 1 : 0;
      strings = publishParallel.internedStrings();
      aggregatorForgotten += aggregatorParallel.internedStrings() < aggregatorStrings ? 1 : 0;
      aggregatorStrings = aggregatorParallel.internedStrings();
    }
    assertThat(aggregatorForgotten).as("steps after which the aggregator encoder forgot strings").isPositive();
    if (smile) {
      assertThat(forgotten).as("steps after which the publish API encoder forgot strings").isPositive();
    }
  }

  static void assertSameBodies(List<EncodedBatch> serial, List<EncodedBatch> parallel) {
    assertThat(parallel).hasSameSizeAs(serial).hasSizeGreaterThan(1);
    for (int b = 0; b < serial.size(); b++) {
      assertThat(parallel.get(b).size()).isEqualTo(serial.get(b).size());
      assertThat(parallel.get(b).body()).as("body %d", b).isEqualTo(serial.get(b).body());
    }
  }
}
