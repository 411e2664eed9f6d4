package io.github.spectatorboot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.Gauge;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Meter;
import com.netflix.spectator.api.Timer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What happens to values that reach a meter around and after the poll that expires and removes
 * it: batch updaters made before the removal, and gauge values set by a thread that raced it.
 */
class ExpiredMeterTest {

  private static final long STEP = 60_000;
  private static final long T0 = 1_700_000_000_000L / STEP * STEP;
  /** Far more steps than the meter TTL (15) plus the polls that still drain a removed meter (3). */
  private static final int LONG_IDLENESS = 40;

  private ManualClock clock;
  private StepRegistry registry;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(T0, 0);
    registry = new StepRegistry(clock, StepRegistryConfig.defaults());
  }

  private Map<String, Double> nextStep() {
    long end = registry.lastPollTimestamp() + STEP;
    clock.setWallTime(end + 1);
    return Snapshots.deltas(registry.poll());
  }

  /** Polls until the meter registered for {@code name} now has expired and been removed, then some more. */
  private Meter expire(String name, int extraSteps) {
    Meter raw = registry.get(registry.createId(name));
    for (int i = 0; i < 30 && !raw.hasExpired(); i++) {
      nextStep();
    }
    assertThat(raw.hasExpired()).isTrue();
    assertThat(registry.get(registry.createId(name))).isNull();
    for (int i = 0; i < extraSteps; i++) {
      nextStep();
    }
    return raw;
  }

  @Test
  void aCounterBatchUpdaterFlushedAfterItsCounterExpiredReachesTheNextStep() throws Exception {
    Counter counter = registry.counter("c");
    counter.increment();
    Counter.BatchUpdater batch = counter.batchUpdater(100);
    batch.add(3);
    batch.increment();

    expire("c", LONG_IDLENESS);
    batch.flush();

    assertThat(nextStep()).containsEntry("c{statistic=count}", 4.0);
    batch.add(2);
    batch.close();
    assertThat(nextStep()).containsEntry("c{statistic=count}", 2.0);
  }

  @Test
  void aTimerBatchUpdaterFlushedAfterItsTimerExpiredReachesTheNextStep() {
    Timer timer = registry.timer("t");
    timer.record(1, TimeUnit.SECONDS);
    Timer.BatchUpdater batch = timer.batchUpdater(100);
    batch.record(2, TimeUnit.SECONDS);
    batch.record(3, TimeUnit.SECONDS);
    batch.record(-1, TimeUnit.SECONDS);

    expire("t", LONG_IDLENESS);
    batch.flush();

    Map<String, Double> d = nextStep();
    assertThat(d).containsEntry("t{statistic=count}", 3.0)
        .containsEntry("t{statistic=totalTime}", 5.0)
        .containsEntry("t{statistic=max}", 3.0);
    assertThat(d.get("t{statistic=totalOfSquares}")).isCloseTo(13.0, within(1e-9));
  }

  @Test
  void aDistributionSummaryBatchUpdaterFlushedAfterItsSummaryExpiredReachesTheNextStep() {
    DistributionSummary summary = registry.distributionSummary("d");
    summary.record(1);
    DistributionSummary.BatchUpdater batch = summary.batchUpdater(100);
    batch.record(4);
    batch.record(0);

    expire("d", LONG_IDLENESS);
    batch.flush();

    assertThat(nextStep()).containsEntry("d{statistic=count}", 2.0)
        .containsEntry("d{statistic=totalAmount}", 4.0)
        .containsEntry("d{statistic=max}", 4.0);
  }

  @Test
  void aBatchUpdaterFlushesByItselfEveryBatchSizeUpdates() {
    Counter.BatchUpdater batch = registry.counter("c").batchUpdater(3);
    batch.add(1);
    batch.add(Double.NaN);
    batch.add(-2);
    batch.add(1);
    assertThat(registry.counter("c").actualCount()).isZero();
    batch.add(1);

    assertThat(nextStep()).containsEntry("c{statistic=count}", 3.0);
  }

  @Test
  void aBatchUpdaterMadeFromTheRegistrysOwnMeterFollowsTheIdOnceThatMeterExpired() {
    registry.counter("c").increment();
    Counter raw = (Counter) registry.get(registry.createId("c"));
    Counter.BatchUpdater batch = raw.batchUpdater(100);
    batch.add(5);

    expire("c", LONG_IDLENESS);
    batch.flush();

    assertThat(nextStep()).containsEntry("c{statistic=count}", 5.0);
  }

  @Test
  void aValueSetIntoAGaugeAsItWasRemovedNeverOverwritesANewerOneSetOnTheLiveGauge() {
    Gauge held = registry.gauge("g");
    held.set(1);
    Gauge raw = (Gauge) expire("g", 0);

    // a thread that passed the expiry check before the removal sets 5 into the removed gauge,
    // then the application sets 7, which goes to the live gauge
    raw.set(5);
    held.set(7);

    for (int i = 0; i < 5; i++) {
      assertThat(nextStep()).as("step %d after the removal", i).containsEntry("g{statistic=gauge}", 7.0);
    }
    assertThat(held.value()).isEqualTo(7.0);
  }

  @Test
  void aValueSetIntoAGaugeAsItWasRemovedIsReportedWhenNothingNewerWasSet() {
    Gauge held = registry.gauge("g");
    held.set(1);
    Gauge raw = (Gauge) expire("g", 1);

    raw.set(5);

    assertThat(nextStep()).containsEntry("g{statistic=gauge}", 5.0);
    held.set(8);
    for (int i = 0; i < 4; i++) {
      assertThat(nextStep()).as("step %d after the set", i).containsEntry("g{statistic=gauge}", 8.0);
    }
  }
}
