package io.github.spectatorboot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.impl.SwapMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three places a timer or distribution summary records into: its own cell, a stripe once that
 * cell is found held by another recorder, and the overflow atomics when every cell tried is held.
 * The tests hold cells the way a racing thread would, so each path is taken on purpose; whichever
 * path a record takes, the next poll reports all four statistics.
 */
class StepDistributionCellsTest {

  private static final long STEP_END = 60_000;

  private StepRegistry registry;
  private Timer timer;
  private StepDistribution meter;

  @BeforeEach
  void setUp() {
    registry = new StepRegistry(new ManualClock(0, 0), StepRegistryConfig.defaults());
    timer = registry.timer("t");
    meter = (StepDistribution) ((SwapMeter<?>) timer).get();
  }

  @Test
  void anUncontendedTimerRecordsIntoItsOwnCellWithoutStripes() {
    timer.record(2, TimeUnit.SECONDS);
    timer.record(3, TimeUnit.SECONDS);

    assertThat(meter.stripes()).isNull();
    assertStep(2, 5.0, 13.0, 3.0);
  }

  @Test
  void aRecordThatFindsTheCellHeldByAnotherRecorderGoesToAStripeAndIsPolled() {
    DistributionCell base = meter.baseCell();
    assertThat(base.tryClaimForRecording()).isTrue();
    timer.record(4, TimeUnit.SECONDS);
    base.release();

    assertThat(meter.stripes()).isNotNull();
    timer.record(1, TimeUnit.SECONDS);
    assertStep(2, 5.0, 17.0, 4.0);
    assertThat(base.count).isZero();
  }

  @Test
  void aRecordThatFindsTheCellHeldByAPollTakesTheOverflowAndIsPolled() {
    DistributionCell base = meter.baseCell();
    base.claimForPoll();
    timer.record(6, TimeUnit.SECONDS);
    timer.record(-1, TimeUnit.SECONDS);
    base.release();

    // a poll holding the cell is not contention between recorders: no stripes for it
    assertThat(meter.stripes()).isNull();
    assertStep(2, 6.0, 36.0, 6.0);
  }

  @Test
  void aRecordThatFindsEveryStripeHeldStillCountsOnce() {
    DistributionCell base = meter.baseCell();
    assertThat(base.tryClaimForRecording()).isTrue();
    timer.record(1, TimeUnit.SECONDS);
    List<DistributionCell> held = new ArrayList<>(List.of(base));
    int records = 1;
    // hold every stripe and record again, until the stripes stop growing and the record overflows
    int size;
    do {
      size = meter.stripes().length;
      for (DistributionCell cell : meter.stripes()) {
        if (!held.contains(cell)) {
          assertThat(cell.tryClaimForRecording()).isTrue();
          held.add(cell);
        }
      }
      timer.record(2, TimeUnit.SECONDS);
      records++;
    } while (meter.stripes().length > size);
    held.forEach(DistributionCell::release);

    assertStep(records, 1.0 + 2.0 * (records - 1), 1.0 + 4.0 * (records - 1), 2.0);
  }

  @Test
  void aPollLeavesEveryCellEmptySoTheNextStepStartsFromZero() {
    assertThat(meter.baseCell().tryClaimForRecording()).isTrue();
    timer.record(5, TimeUnit.SECONDS);
    meter.baseCell().release();
    timer.record(7, TimeUnit.SECONDS);
    registry.poll(STEP_END);

    timer.record(1, TimeUnit.SECONDS);
    assertThat(Snapshots.deltas(registry.poll(2 * STEP_END)))
        .containsEntry("t{statistic=count}", 1.0)
        .containsEntry("t{statistic=totalTime}", 1.0)
        .containsEntry("t{statistic=max}", 1.0);
  }

  @Test
  void peekSumsEveryCellWithoutResettingThem() {
    assertThat(meter.baseCell().tryClaimForRecording()).isTrue();
    timer.record(5, TimeUnit.SECONDS);
    meter.baseCell().release();
    timer.record(7, TimeUnit.SECONDS);

    assertThat(Snapshots.deltas(registry.peek())).containsEntry("t{statistic=count}", 2.0)
        .containsEntry("t{statistic=totalTime}", 12.0);
    assertStep(2, 12.0, 74.0, 7.0);
  }

  @Test
  void aRemovedMeterHoldingOnlyATotalHandsItToTheLiveMeter() {
    // what a record split by the overflow path leaves behind: its total, its count already polled
    StepDistribution live = (StepDistribution) ((SwapMeter<?>) new StepRegistry(new ManualClock(0, 0),
        StepRegistryConfig.defaults()).timer("t")).get();
    DistributionCell base = meter.baseCell();
    assertThat(base.tryClaimForRecording()).isTrue();
    base.total = 3_000_000_000L;
    base.totalOfSquares = 9e18;
    base.max = 3_000_000_000L;
    base.release();

    assertThat(meter.hasPending()).isTrue();
    assertThat(meter.drainInto(live)).isTrue();

    assertThat(meter.hasPending()).isFalse();
    assertThat(live.hasPending()).isTrue();
    StepSnapshot.Builder out = new StepSnapshot.Builder(STEP_END, STEP_END, Map.of(), 4);
    live.peek(out);
    assertThat(Snapshots.deltas(out.build())).containsEntry("t{statistic=count}", 0.0)
        .containsEntry("t{statistic=totalTime}", 3.0).containsEntry("t{statistic=max}", 3.0);
  }

  @Test
  void aMeterWithNothingRecordedHasNothingPendingAndDrainsNothing() {
    StepDistribution live = (StepDistribution) ((SwapMeter<?>) registry.timer("other")).get();

    assertThat(meter.hasPending()).isFalse();
    assertThat(meter.drainInto(live)).isFalse();
    assertThat(live.hasPending()).isFalse();
  }

  private void assertStep(long count, double totalSeconds, double totalOfSquares, double maxSeconds) {
    Map<String, Double> d = Snapshots.deltas(registry.poll(STEP_END));
    assertThat(d).containsEntry("t{statistic=count}", (double) count)
        .containsEntry("t{statistic=max}", maxSeconds);
    assertThat(d.get("t{statistic=totalTime}")).isCloseTo(totalSeconds, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(d.get("t{statistic=totalOfSquares}")).isCloseTo(totalOfSquares, org.assertj.core.api.Assertions.within(1e-9));
  }
}
