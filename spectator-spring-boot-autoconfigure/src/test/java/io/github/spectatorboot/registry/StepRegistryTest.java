package io.github.spectatorboot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.Gauge;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Meter;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.api.histogram.PercentileDistributionSummary;
import com.netflix.spectator.api.histogram.PercentileTimer;
import com.netflix.spectator.api.patterns.LongTaskTimer;
import com.netflix.spectator.api.patterns.PolledMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class StepRegistryTest {

  private static final long STEP = 60_000;
  private static final long T0 = 1_700_000_000_000L / STEP * STEP;

  private ManualClock clock;
  private StepRegistry registry;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(T0, 0);
    registry = new StepRegistry(clock, StepRegistryConfig.defaults());
  }

  /** Moves the clock to the end of the step in progress and polls it. */
  private StepSnapshot nextStep() {
    long end = registry.lastPollTimestamp() + STEP;
    clock.setWallTime(end + 1);
    return registry.poll();
  }

  @Test
  void counterReportsTheAmountAddedDuringTheStepAsDeltaAndAsRatePerSecond() {
    Counter c = registry.counter("requests", "status", "200");
    c.increment();
    c.increment(2);
    c.add(0.5);

    StepSnapshot s = nextStep();

    assertThat(s.timestamp()).isEqualTo(T0 + STEP);
    assertThat(Snapshots.deltas(s)).containsExactly(Map.entry("requests{statistic=count, status=200}", 3.5));
    assertThat(Snapshots.rates(s)).containsExactly(Map.entry("requests{statistic=count, status=200}", 3.5 / 60));
    assertThat(s.get(indexOf(s, "requests")).isRate()).isTrue();
    assertThat(c.actualCount()).isEqualTo(3.5);
  }

  @Test
  void counterKeepsAStatisticAlreadyOnItsId() {
    registry.counter("bytes", "statistic", "percentile", "percentile", "T0042").increment();

    assertThat(Snapshots.deltas(nextStep())).containsOnlyKeys("bytes{percentile=T0042, statistic=percentile}");
  }

  @Test
  void counterIgnoresNonFiniteAndNonPositiveAmounts() {
    Counter c = registry.counter("c");
    c.add(Double.NaN);
    c.add(Double.POSITIVE_INFINITY);
    c.add(Double.NEGATIVE_INFINITY);
    c.add(-1);
    c.add(0);
    c.add(2);

    assertThat(Snapshots.deltas(nextStep())).containsEntry("c{statistic=count}", 2.0);
  }

  @Test
  void idleCounterReportsZeroUntilItExpires() {
    registry.counter("c").increment();
    assertThat(Snapshots.deltas(nextStep())).containsEntry("c{statistic=count}", 1.0);
    assertThat(Snapshots.deltas(nextStep())).containsEntry("c{statistic=count}", 0.0);
  }

  @Test
  void eachStepReportsOnlyWhatWasRecordedInIt() {
    Counter c = registry.counter("c");
    c.increment(5);
    assertThat(Snapshots.deltas(nextStep())).containsEntry("c{statistic=count}", 5.0);
    c.increment(2);
    assertThat(Snapshots.deltas(nextStep())).containsEntry("c{statistic=count}", 2.0);
  }

  @Test
  void timerReportsCountTotalTimeTotalOfSquaresAndMaxInSeconds() {
    Timer t = registry.timer("latency");
    t.record(1, TimeUnit.SECONDS);
    t.record(Duration.ofMillis(3000));
    t.record(500, TimeUnit.MILLISECONDS);

    StepSnapshot s = nextStep();

    assertThat(Snapshots.deltas(s)).containsExactly(
        Map.entry("latency{statistic=count}", 3.0),
        Map.entry("latency{statistic=max}", 3.0),
        Map.entry("latency{statistic=totalOfSquares}", 1.0 + 9.0 + 0.25),
        Map.entry("latency{statistic=totalTime}", 4.5));
    assertThat(Snapshots.rates(s)).containsEntry("latency{statistic=count}", 3.0 / 60)
        .containsEntry("latency{statistic=max}", 3.0)
        .containsEntry("latency{statistic=totalTime}", 4.5 / 60);
    assertThat(t.count()).isEqualTo(3);
    assertThat(t.totalTime()).isEqualTo(4_500_000_000L);
  }

  @Test
  void timerMaxIsTheLargestDurationOfTheStepOnly() {
    Timer t = registry.timer("latency");
    t.record(5, TimeUnit.SECONDS);
    nextStep();
    t.record(1, TimeUnit.SECONDS);

    assertThat(Snapshots.deltas(nextStep())).containsEntry("latency{statistic=max}", 1.0);
  }

  @Test
  void timerCountsANegativeDurationButAddsNoTimeAsSpectatorJavaDoes() {
    Timer t = registry.timer("latency");
    t.record(-5, TimeUnit.SECONDS);
    t.record(2, TimeUnit.SECONDS);

    assertThat(Snapshots.deltas(nextStep())).containsEntry("latency{statistic=count}", 2.0)
        .containsEntry("latency{statistic=totalTime}", 2.0)
        .containsEntry("latency{statistic=totalOfSquares}", 4.0)
        .containsEntry("latency{statistic=max}", 2.0);
  }

  @Test
  void timerBatchRecordingMatchesSingleRecords() {
    registry.timer("a").record(new long[] {1, -2, 3}, 3, TimeUnit.SECONDS);
    Timer b = registry.timer("b");
    b.record(1, TimeUnit.SECONDS);
    b.record(-2, TimeUnit.SECONDS);
    b.record(3, TimeUnit.SECONDS);

    Map<String, Double> d = Snapshots.deltas(nextStep());
    for (String stat : new String[] {"count", "totalTime", "totalOfSquares", "max"}) {
      assertThat(d.get("a{statistic=" + stat + "}")).isEqualTo(d.get("b{statistic=" + stat + "}"));
    }
  }

  @Test
  void timerReplacesAStatisticTagOnItsId() {
    registry.timer("t", "statistic", "foo").record(1, TimeUnit.SECONDS);

    assertThat(Snapshots.deltas(nextStep())).containsOnlyKeys(
        "t{statistic=count}", "t{statistic=totalTime}", "t{statistic=totalOfSquares}", "t{statistic=max}");
  }

  @Test
  void distributionSummaryReportsCountTotalAmountTotalOfSquaresAndMax() {
    DistributionSummary d = registry.distributionSummary("payload", "api", "upload");
    d.record(100);
    d.record(300);
    d.record(-7);

    assertThat(Snapshots.deltas(nextStep())).containsExactly(
        Map.entry("payload{api=upload, statistic=count}", 3.0),
        Map.entry("payload{api=upload, statistic=max}", 300.0),
        Map.entry("payload{api=upload, statistic=totalAmount}", 400.0),
        Map.entry("payload{api=upload, statistic=totalOfSquares}", 100_000.0));
    assertThat(d.count()).isEqualTo(3);
    assertThat(d.totalAmount()).isEqualTo(400);
  }

  @Test
  void gaugeReportsItsLastValueEveryStepUntilTheTtlAfterItsLastSet() {
    Gauge g = registry.gauge("queue.size");
    g.set(3);
    g.set(7);
    assertThat(Snapshots.deltas(nextStep())).containsEntry("queue.size{statistic=gauge}", 7.0);

    // 15 minutes of steps without a set: still reported
    for (int i = 0; i < 15; i++) {
      assertThat(Snapshots.deltas(nextStep())).containsEntry("queue.size{statistic=gauge}", 7.0);
    }
    // then no more
    assertThat(Snapshots.deltas(nextStep())).doesNotContainKey("queue.size{statistic=gauge}");
  }

  @Test
  void gaugeSetToNaNStopsReportingAtOnce() {
    Gauge g = registry.gauge("g");
    g.set(1);
    assertThat(Snapshots.deltas(nextStep())).containsKey("g{statistic=gauge}");
    g.set(Double.NaN);
    assertThat(Snapshots.deltas(nextStep())).doesNotContainKey("g{statistic=gauge}");
  }

  @Test
  void gaugeNeverSetIsNotReported() {
    registry.gauge("g");
    assertThat(Snapshots.deltas(nextStep())).isEmpty();
  }

  @Test
  void gaugeHeldByTheApplicationReportsAgainWhenSetAfterItExpired() {
    Gauge g = registry.gauge("g");
    g.set(1);
    for (int i = 0; i < 17; i++) {
      nextStep();
    }
    assertThat(Snapshots.deltas(nextStep())).doesNotContainKey("g{statistic=gauge}");

    g.set(2);

    assertThat(Snapshots.deltas(nextStep())).containsEntry("g{statistic=gauge}", 2.0);
  }

  @Test
  void maxGaugeReportsTheLargestValueOfTheStepAndNothingForAStepWithoutUpdates() {
    Gauge g = registry.maxGauge("pool.max");
    g.set(-3);
    g.set(-8);
    assertThat(Snapshots.deltas(nextStep())).containsExactly(Map.entry("pool.max{statistic=max}", -3.0));
    assertThat(Snapshots.deltas(nextStep())).isEmpty();
    g.set(2);
    g.set(Double.NaN);
    g.set(1);
    assertThat(Snapshots.deltas(nextStep())).containsExactly(Map.entry("pool.max{statistic=max}", 2.0));
    assertThat(g.value()).isEqualTo(2.0);
  }

  @Test
  void percentileTimerReportsItsTimerAndAPercentileCounterPerBucket() {
    PercentileTimer t = PercentileTimer.builder(registry).withName("call")
        .withRange(Duration.ofMillis(10), Duration.ofSeconds(60)).build();
    t.record(50, TimeUnit.MILLISECONDS);
    t.record(50, TimeUnit.MILLISECONDS);
    t.record(2, TimeUnit.SECONDS);

    Map<String, Double> d = Snapshots.deltas(nextStep());

    assertThat(d).containsEntry("call{statistic=count}", 3.0).containsEntry("call{statistic=max}", 2.0);
    Map<String, Double> buckets = percentiles(d, "call");
    assertThat(buckets).hasSize(2);
    assertThat(buckets.values()).containsExactlyInAnyOrder(2.0, 1.0);
    assertThat(buckets.keySet()).allMatch(k -> k.matches("call\\{percentile=T[0-9A-F]{4}, statistic=percentile}"));
  }

  @Test
  void percentileDistributionSummaryReportsPercentileCountersTaggedD() {
    PercentileDistributionSummary s = PercentileDistributionSummary.get(registry, registry.createId("size"));
    s.record(10);
    s.record(10_000);

    Map<String, Double> buckets = percentiles(Snapshots.deltas(nextStep()), "size");
    assertThat(buckets).hasSize(2);
    assertThat(buckets.keySet()).allMatch(k -> k.matches("size\\{percentile=D[0-9A-F]{4}, statistic=percentile}"));
  }

  private static Map<String, Double> percentiles(Map<String, Double> d, String name) {
    Map<String, Double> out = new java.util.TreeMap<>();
    d.forEach((k, v) -> {
      if (k.startsWith(name + "{percentile=")) {
        out.put(k, v);
      }
    });
    return out;
  }

  @Test
  void longTaskTimerReportsActiveTasksAndTheirDuration() {
    LongTaskTimer t = LongTaskTimer.get(registry, registry.createId("batch.job"));
    long task = t.start();
    clock.setMonotonicTime(TimeUnit.SECONDS.toNanos(30));
    PolledMeter.update(registry);

    Map<String, Double> d = Snapshots.deltas(nextStep());
    assertThat(d).containsEntry("batch.job{statistic=activeTasks}", 1.0)
        .containsEntry("batch.job{statistic=duration}", 30.0);

    t.stop(task);
    PolledMeter.update(registry);
    assertThat(Snapshots.deltas(nextStep())).containsEntry("batch.job{statistic=activeTasks}", 0.0);
  }

  @Test
  void polledMeterMonitorValueReportsTheSampledValue() {
    AtomicLong queue = new AtomicLong(42);
    PolledMeter.using(registry).withName("queue").monitorValue(queue);
    PolledMeter.update(registry);

    assertThat(Snapshots.deltas(nextStep())).containsEntry("queue{statistic=gauge}", 42.0);
  }

  @Test
  void polledMonotonicCounterReportsTheIncreaseInEachStep() {
    AtomicLong total = new AtomicLong(100);
    PolledMeter.using(registry).withName("served").monitorMonotonicCounter(total);
    PolledMeter.update(registry);
    nextStep();

    total.addAndGet(25);
    PolledMeter.update(registry);

    assertThat(Snapshots.deltas(nextStep())).containsEntry("served{statistic=count}", 25.0);
  }

  @Test
  void invalidTagCharactersAreReplacedSoIdsDifferingOnlyInThemShareOneMeter() {
    registry.counter("http requests", "uri", "/api/v1").increment();
    registry.counter("http@requests", "uri", "_api_v1").increment();

    assertThat(Snapshots.deltas(nextStep())).containsExactly(Map.entry("http_requests{statistic=count, uri=_api_v1}", 2.0));
  }

  @Test
  void commonTagsAreNormalisedAndCarriedByEverySnapshot() {
    StepRegistry r = new StepRegistry(clock, StepRegistryConfig.defaults()
        .withCommonTags(Map.of("nf.app", "my app", "nf.cluster", "c-1")));

    assertThat(r.poll().commonTags()).containsExactly(Map.entry("nf.app", "my_app"), Map.entry("nf.cluster", "c-1"));
  }

  @Test
  void idleMetersAreRemovedAfterTheTtlAndStopReporting() {
    StepRegistry r = new StepRegistry(clock, StepRegistryConfig.defaults().withMeterTtl(Duration.ofMinutes(2)));
    r.counter("c").increment();
    r.timer("t").record(1, TimeUnit.SECONDS);
    clock.setWallTime(T0 + STEP + 1);
    assertThat(Snapshots.deltas(r.poll())).containsKeys("c{statistic=count}", "t{statistic=count}");
    clock.setWallTime(T0 + 2 * STEP + 1);
    assertThat(Snapshots.deltas(r.poll())).containsKeys("c{statistic=count}", "t{statistic=count}");
    clock.setWallTime(T0 + 3 * STEP + 1);
    assertThat(Snapshots.deltas(r.poll())).containsKeys("c{statistic=count}", "t{statistic=count}");
    assertThat(r.stream().filter(m -> !m.id().name().startsWith("spectator."))).isEmpty();

    clock.setWallTime(T0 + 4 * STEP + 1);
    assertThat(Snapshots.deltas(r.poll())).isEmpty();
  }

  @Test
  void aCounterHeldByTheApplicationKeepsCountingAfterItsMeterExpired() {
    Counter c = registry.counter("c");
    c.increment();
    for (int i = 0; i < 17; i++) {
      nextStep();
    }
    assertThat(Snapshots.deltas(nextStep())).isEmpty();

    c.increment(3);

    assertThat(Snapshots.deltas(nextStep())).containsEntry("c{statistic=count}", 3.0);
  }

  @Test
  void aValueRecordedIntoAMeterJustAsItWasRemovedReachesTheNextStep() {
    Counter held = registry.counter("c");
    held.increment();
    Meter raw = registry.get(registry.createId("c"));
    for (int i = 0; i < 30 && !raw.hasExpired(); i++) {
      nextStep();
    }
    assertThat(raw.hasExpired()).isTrue();

    // a recorder that passed the expiry check before the poll removed the meter
    ((Counter) raw).increment(4);
    held.increment(1);

    assertThat(Snapshots.deltas(nextStep())).containsEntry("c{statistic=count}", 5.0);
  }

  @Test
  void beyondMaxMetersNewIdsGetNoopMetersCountedAndLoggedOnce(CapturedOutput output) {
    StepRegistry r = new StepRegistry(clock, StepRegistryConfig.defaults().withMaxMeters(3));
    // the registry's own counter is one of the three
    r.counter("a").increment();
    r.counter("b").increment();
    r.counter("c").increment();
    r.counter("d").increment();
    r.timer("e").record(1, TimeUnit.SECONDS);

    StepSnapshot s = r.poll(T0 + STEP);

    assertThat(Snapshots.deltas(s)).containsOnlyKeys("a{statistic=count}", "b{statistic=count}");
    assertThat(deltaOf(s, StepRegistry.DROPPED_METERS)).isEqualTo(3.0);
    assertThat(output.getOut().split("spectator.max-meters", -1)).hasSize(2);
  }

  @Test
  void theRegistrysOwnCounterNeverExpires() {
    for (int i = 0; i < 20; i++) {
      nextStep();
    }
    assertThat(deltaOf(nextStep(), StepRegistry.DROPPED_METERS)).isEqualTo(0.0);
  }

  @Test
  void theSameIdAskedForAsAnotherTypeGetsANoopMeterAndOneWarning(CapturedOutput output) {
    registry.counter("shared").increment();
    for (int i = 0; i < 5; i++) {
      registry.timer("shared").record(1, TimeUnit.SECONDS);
    }

    assertThat(Snapshots.deltas(nextStep())).containsOnlyKeys("shared{statistic=count}");
    assertThat(output.getOut().split("cannot access 'shared", -1)).hasSize(2);
  }

  @Test
  void peekShowsTheStepInProgressWithoutRollingItOver() {
    Counter c = registry.counter("c");
    c.increment(2);

    StepSnapshot live = registry.peek();

    assertThat(Snapshots.deltas(live)).containsEntry("c{statistic=count}", 2.0);
    assertThat(live.timestamp()).isEqualTo(T0 + STEP);
    assertThat(Snapshots.deltas(nextStep())).containsEntry("c{statistic=count}", 2.0);
  }

  @Test
  void theLastSnapshotIsKeptForReaders() {
    registry.counter("c").increment();
    StepSnapshot s = nextStep();
    assertThat(registry.lastSnapshot()).isSameAs(s);
    assertThat(registry.lastPollTimestamp()).isEqualTo(s.timestamp());
  }

  @Test
  void measureGivesTheLastCompletedStepAsSpectatorMeasurements() {
    Counter c = registry.counter("c");
    c.increment(6);
    nextStep();

    java.util.List<com.netflix.spectator.api.Measurement> ms = new java.util.ArrayList<>();
    c.measure().forEach(ms::add);
    assertThat(ms).singleElement().satisfies(m -> {
      assertThat((Object) m.id()).isEqualTo(registry.createId("c", "statistic", "count"));
      assertThat(m.timestamp()).isEqualTo(T0 + STEP);
      assertThat(m.value()).isCloseTo(0.1, within(1e-12));
    });
  }

  @Test
  void aStepThatIsNotAWholeNumberOfMillisecondsIsRefused() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> StepRegistryConfig.defaults().withStep(Duration.ofNanos(1500)))
        .withMessageContaining("step");
  }

  private static int indexOf(StepSnapshot s, String name) {
    for (int i = 0; i < s.size(); i++) {
      if (s.id(i).name().equals(name)) {
        return i;
      }
    }
    throw new AssertionError(name + " not in " + s.measurements());
  }

  private static double deltaOf(StepSnapshot s, String name) {
    return s.delta(indexOf(s, name));
  }
}
