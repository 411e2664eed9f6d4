package io.github.spectatorboot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Timer;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StepHistoryTest {

  private static final long STEP = 60_000;
  private static final long T0 = 1_700_000_000_000L / STEP * STEP;
  private static final int STEPS = 10;

  private ManualClock clock;
  private StepRegistry registry;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(T0, 0);
    registry = new StepRegistry(clock, StepRegistryConfig.defaults());
  }

  private void step() {
    clock.setWallTime(clock.wallTime() + STEP);
    registry.poll();
  }

  @Test
  void keepsTheLastStepsOfASeriesInOrderAsRatesPerSecond() {
    StepHistory history = new StepHistory(STEPS, 100);
    registry.addStepListener(history);
    Counter orders = registry.counter("orders");
    for (int k = 1; k <= STEPS + 5; k++) {
      orders.increment(60L * k);
      step();
    }

    StepHistory.Window w = history.window(id -> id.name().equals("orders"));

    assertThat(w.timestamps()).containsExactly(LongStream.rangeClosed(6, STEPS + 5).map(k -> T0 + k * STEP).toArray());
    assertThat(w.series()).singleElement().satisfies(s -> {
      assertThat(s.statistic()).isEqualTo("count");
      assertThat(s.values()).containsExactly(6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    });
  }

  @Test
  void holdsFewerStepsThanTheRingBeforeItFillsUp() {
    StepHistory history = new StepHistory(STEPS, 100);
    registry.addStepListener(history);
    registry.counter("orders").increment(120);
    step();
    step();

    StepHistory.Window w = history.window(id -> true);

    assertThat(w.timestamps()).containsExactly(T0 + STEP, T0 + 2 * STEP);
    assertThat(w.series()).filteredOn(s -> s.id().name().equals("orders")).singleElement()
        .satisfies(s -> assertThat(s.values()).containsExactly(2.0, 0.0));
  }

  @Test
  void keepsATimersCountTotalAndMaxButNotItsTotalOfSquares() {
    StepHistory history = new StepHistory(STEPS, 100);
    registry.addStepListener(history);
    Timer checkout = registry.timer("checkout");
    checkout.record(250, TimeUnit.MILLISECONDS);
    checkout.record(750, TimeUnit.MILLISECONDS);
    step();

    StepHistory.Window w = history.window(id -> id.name().equals("checkout"));

    assertThat(w.series()).extracting(StepHistory.Series::statistic)
        .containsExactlyInAnyOrder("count", "totalTime", "max");
    assertThat(w.series()).filteredOn(s -> s.statistic().equals("max")).singleElement()
        .satisfies(s -> assertThat(s.values()).containsExactly(0.75));
    assertThat(w.series()).filteredOn(s -> s.statistic().equals("count")).singleElement()
        .satisfies(s -> assertThat(s.values()).containsExactly(2.0 / 60));
  }

  @Test
  void aStepWithoutAValueForASeriesIsAGapNotTheValueOfAnOlderStep() {
    StepHistory history = new StepHistory(3, 100);
    registry.addStepListener(history);
    for (double v : new double[] {5, Double.NaN, 7, Double.NaN, Double.NaN}) {
      registry.gauge("queue").set(v);
      step();
    }

    StepHistory.Window w = history.window(id -> id.name().equals("queue"));

    // the slots of the last two steps held 5 and NaN before the ring wrapped
    assertThat(w.series()).singleElement().satisfies(s -> assertThat(s.values()).containsExactly(7, Double.NaN, Double.NaN));
  }

  @Test
  void newSeriesBeyondTheCapAreNotKeptAndCounted() {
    StepHistory history = new StepHistory(STEPS, 5);
    registry.addStepListener(history);
    for (int i = 0; i < 8; i++) {
      registry.counter("c" + i).increment();
    }
    step();

    // the registry's own droppedMeters counter is a series too
    assertThat(history.seriesCount()).isEqualTo(5);
    assertThat(history.untrackedSeries()).isEqualTo(4);
    assertThat(history.window(id -> true).series()).hasSize(5);
  }

  @Test
  void aSeriesWithoutValuesForAWholeWindowIsDroppedAndFreesItsPlace() {
    StepHistory history = new StepHistory(3, 100);
    registry.addStepListener(history);
    registry.gauge("queue").set(5);
    step();
    registry.gauge("queue").set(Double.NaN);
    int withQueue = 0;
    for (int i = 0; i < 3; i++) {
      step();
      withQueue = history.window(id -> id.name().equals("queue")).series().size();
    }

    assertThat(withQueue).isZero();
    assertThat(history.window(id -> true).series()).extracting(s -> s.id().name())
        .containsOnly(StepRegistry.DROPPED_METERS);
  }
}
