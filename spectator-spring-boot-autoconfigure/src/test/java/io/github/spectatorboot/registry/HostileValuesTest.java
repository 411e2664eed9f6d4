package io.github.spectatorboot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.atlas.AtlasRegistry;
import com.netflix.spectator.impl.SwapMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every extreme value a caller can pass, fed to this registry and to Netflix's
 * {@link AtlasRegistry}: the step reports what {@code AtlasRegistry} publishes, and nothing throws
 * into the caller. Where ours deliberately differs, a test below says how and why.
 */
class HostileValuesTest {

  private static final long STEP = 60_000;
  private static final long T0 = 1_700_000_000_000L / STEP * STEP;
  private static final long HALF_MAX = Long.MAX_VALUE / 2;

  static Stream<Arguments> hostileInput() {
    return Stream.of(
        input("timer durations near Long.MAX_VALUE nanoseconds, three in a step", r -> {
          Timer t = r.timer("t");
          for (int i = 0; i < 3; i++) {
            t.record(HALF_MAX, TimeUnit.NANOSECONDS);
          }
        }),
        input("timer durations of Long.MAX_VALUE in every time unit, twice each", r -> {
          for (TimeUnit unit : TimeUnit.values()) {
            r.timer("t", "unit", unit.name()).record(Long.MAX_VALUE, unit);
            r.timer("t", "unit", unit.name()).record(Long.MAX_VALUE, unit);
          }
        }),
        input("timer durations of one of every time unit", r -> {
          for (TimeUnit unit : TimeUnit.values()) {
            r.timer("t", "unit", unit.name()).record(1, unit);
            r.timer("all").record(1, unit);
          }
        }),
        input("timer durations that are negative, zero or Long.MIN_VALUE in every time unit", r -> {
          for (TimeUnit unit : TimeUnit.values()) {
            r.timer("t").record(Long.MIN_VALUE, unit);
            r.timer("t").record(-1, unit);
            r.timer("t").record(0, unit);
          }
          r.timer("t").record(Duration.ofSeconds(-3));
          r.timer("t").record(Duration.ZERO);
        }),
        input("a timer batch of durations near Long.MAX_VALUE", r ->
            r.timer("t").record(new long[] {HALF_MAX, HALF_MAX, -1, Long.MIN_VALUE, HALF_MAX}, 5, TimeUnit.NANOSECONDS)),
        input("a timer batch in days that saturates every element", r ->
            r.timer("t").record(new long[] {Long.MAX_VALUE, Long.MAX_VALUE / 3, 1}, 3, TimeUnit.DAYS)),
        input("a timer batch whose n is negative or beyond the array", r -> {
          r.timer("t").record(new long[] {5, 6}, -1, TimeUnit.SECONDS);
          r.timer("t").record(new long[] {5, 6}, 7, TimeUnit.SECONDS);
        }),
        input("distribution summary amounts that are negative, zero or Long.MIN_VALUE", r -> {
          r.distributionSummary("d").record(Long.MIN_VALUE);
          r.distributionSummary("d").record(0);
          r.distributionSummary("d").record(-5);
          r.distributionSummary("d").record(new long[] {Long.MIN_VALUE, 0, -1, 7}, 4);
        }),
        input("counter amounts that are NaN, infinite, negative, zero or huge", r -> {
          r.counter("c").add(Double.NaN);
          r.counter("c").add(Double.POSITIVE_INFINITY);
          r.counter("c").add(Double.NEGATIVE_INFINITY);
          r.counter("c").add(-1);
          r.counter("c").add(-0.0);
          r.counter("c").add(0);
          r.counter("c").increment(Long.MIN_VALUE);
          r.counter("c").increment(Long.MAX_VALUE);
          r.counter("c").add(Double.MIN_VALUE);
          r.counter("max").add(Double.MAX_VALUE);
        }),
        input("gauges set to infinities, NaN and extremes", r -> {
          r.gauge("plus").set(Double.POSITIVE_INFINITY);
          r.gauge("minus").set(Double.NEGATIVE_INFINITY);
          r.gauge("nan").set(Double.NaN);
          r.gauge("huge").set(Double.MAX_VALUE);
          r.gauge("tiny").set(-Double.MAX_VALUE);
          r.gauge("back").set(Double.POSITIVE_INFINITY);
          r.gauge("back").set(3);
        }),
        input("max gauges set to infinities and NaN", r -> {
          r.maxGauge("plus").set(Double.POSITIVE_INFINITY);
          r.maxGauge("plus").set(5);
          r.maxGauge("minus").set(Double.NEGATIVE_INFINITY);
          r.maxGauge("rising").set(Double.NEGATIVE_INFINITY);
          r.maxGauge("rising").set(-5);
          r.maxGauge("nan").set(Double.NaN);
        }),
        input("an id with thousands of tags", r -> {
          String[] tags = new String[2 * 3_000];
          for (int i = 0; i < 3_000; i++) {
            tags[2 * i] = "k" + i;
            tags[2 * i + 1] = "v" + i;
          }
          r.counter("c", tags).increment();
          r.timer("t", tags).record(1, TimeUnit.SECONDS);
          r.distributionSummary("d", tags).record(3);
          r.gauge(r.createId("g", tags)).set(2);
        }),
        input("a tag value of 10 kB, with characters Atlas does not accept", r -> {
          String value = "x y/".repeat(2_500);
          r.counter("c", "k", value).increment();
          r.timer("t", "k", value).record(1, TimeUnit.SECONDS);
          r.gauge(r.createId("g", "k", value)).set(2);
        }));
  }

  private static Arguments input(String name, Consumer<Registry> events) {
    return Arguments.of(name, events);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileInput")
  void hostileInputIsReportedAsAtlasRegistryReportsIt(String name, Consumer<Registry> events) {
    ManualClock clock = new ManualClock(T0 + 1_000, 0);
    StepRegistry ours = new StepRegistry(clock, StepRegistryConfig.defaults());
    AtlasRegistry atlas = new AtlasRegistry(clock, AtlasRegistryDifferentialTest.atlasConfig());

    events.accept(ours);
    events.accept(atlas);
    clock.setWallTime(T0 + STEP + 1);

    Map<String, Double> expected = AtlasRegistryDifferentialTest.atlasRates(atlas);
    // AtlasRegistry publishes a max gauge set to an infinity; ours never reports a value that is
    // not finite (JSON has no literal for it, and Atlas cannot graph it)
    expected.values().removeIf(v -> !Double.isFinite(v));
    Map<String, Double> actual = Snapshots.rates(ours.poll());
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((key, x) -> {
      double a = actual.get(key);
      assertThat(a).as("%s: ours %s, AtlasRegistry %s", key, a, x).isFinite();
      assertThat(Math.abs(a - x)).as("%s: ours %s, AtlasRegistry %s", key, a, x)
          .isLessThanOrEqualTo(1e-12 * Math.max(Math.abs(x), Double.MIN_NORMAL));
    });
  }

  @Test
  void timerTotalsNearLongMaxValueAreNotWrappedToANegativeTotal() {
    StepRegistry registry = new StepRegistry(new ManualClock(T0, 0), StepRegistryConfig.defaults());
    Timer t = registry.timer("t");
    for (int i = 0; i < 3; i++) {
      t.record(HALF_MAX, TimeUnit.NANOSECONDS);
    }
    t.record(new long[] {HALF_MAX, HALF_MAX}, 2, TimeUnit.NANOSECONDS);

    Map<String, Double> d = Snapshots.deltas(registry.poll(T0 + STEP));

    assertThat(d.get("t{statistic=totalTime}")).isCloseTo(5 * (HALF_MAX * 1e-9), within(1.0));
    assertThat(d.get("t{statistic=totalOfSquares}")).isCloseTo(5 * (HALF_MAX * 1e-9) * (HALF_MAX * 1e-9),
        withinPercentage(1e-9));
    assertThat(d).containsEntry("t{statistic=max}", HALF_MAX * 1e-9);
    // the Timer API's long total saturates, as AtlasTimer's does
    assertThat(t.totalTime()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aTotalThatTakesTheOverflowPathIsNotWrappedEither() {
    StepRegistry registry = new StepRegistry(new ManualClock(T0, 0), StepRegistryConfig.defaults());
    var summary = registry.distributionSummary("d");
    var meter = (StepDistribution) ((SwapMeter<?>) summary).get();
    // a poll holding the meter's cell sends records to the overflow atomics
    meter.baseCell().claimForPoll();
    summary.record(Long.MAX_VALUE);
    summary.record(Long.MAX_VALUE);
    meter.baseCell().release();

    Map<String, Double> d = Snapshots.deltas(registry.poll(T0 + STEP));

    assertThat(d).containsEntry("d{statistic=count}", 2.0)
        .containsEntry("d{statistic=totalAmount}", 2.0 * Long.MAX_VALUE)
        .containsEntry("d{statistic=max}", (double) Long.MAX_VALUE);
  }

  @Test
  void distributionSummaryTotalsNearLongMaxValueAreRightWhereAtlasRegistryWrapsThem() {
    ManualClock clock = new ManualClock(T0 + 1_000, 0);
    StepRegistry ours = new StepRegistry(clock, StepRegistryConfig.defaults());
    AtlasRegistry atlas = new AtlasRegistry(clock, AtlasRegistryDifferentialTest.atlasConfig());
    for (Registry r : new Registry[] {ours, atlas}) {
      r.distributionSummary("d").record(Long.MAX_VALUE);
      r.distributionSummary("d").record(Long.MAX_VALUE);
      r.distributionSummary("d").record(7);
    }
    clock.setWallTime(T0 + STEP + 1);

    // AtlasDistributionSummary keeps its total in a long: MAX + MAX + 7 wraps to 5
    assertThat(AtlasRegistryDifferentialTest.atlasRates(atlas)).containsEntry("d{statistic=totalAmount}", 5.0 / 60);
    Map<String, Double> d = Snapshots.deltas(ours.poll());
    assertThat(d).containsEntry("d{statistic=totalAmount}", 2.0 * Long.MAX_VALUE + 7)
        .containsEntry("d{statistic=max}", (double) Long.MAX_VALUE);
    assertThat(d.get("d{statistic=totalOfSquares}")).isCloseTo(2.0 * Long.MAX_VALUE * Long.MAX_VALUE,
        withinPercentage(1e-9));
  }

  @Test
  void aDurationBeyondLongNanosecondsSaturatesInTheRegistrysTimerAndBatchUpdater() {
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    StepRegistry ours = new StepRegistry(new ManualClock(T0, 0), StepRegistryConfig.defaults());
    Timer handle = ours.timer("t");
    Timer meter = (Timer) ((SwapMeter<?>) handle).get();

    meter.record(huge);
    meter.record(Duration.ofSeconds(Long.MIN_VALUE));
    meter.record(new Duration[] {huge, Duration.ofSeconds(-Long.MAX_VALUE), Duration.ofSeconds(1)}, 3);
    Timer.BatchUpdater batch = handle.batchUpdater(10);
    batch.record(huge);
    batch.flush();

    Map<String, Double> d = Snapshots.deltas(ours.poll(T0 + STEP));
    double maxSeconds = Long.MAX_VALUE * 1e-9;
    assertThat(d).containsEntry("t{statistic=count}", 6.0)
        .containsEntry("t{statistic=max}", maxSeconds);
    assertThat(d.get("t{statistic=totalTime}")).isCloseTo(3 * maxSeconds + 1, within(1e-3));
  }

  @Test
  void aDurationBeyondLongNanosecondsThrowsInSpectatorsTimerHandleAsItDoesForAtlasRegistry() {
    // Timer.record(Duration) is a default method of spectator-api that calls Duration.toNanos()
    // on the handle AbstractRegistry hands out (SwapTimer) before any registry sees the value:
    // no registry built on AbstractRegistry can catch it. Documented in the README.
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    ManualClock clock = new ManualClock(T0, 0);
    AtlasRegistry atlas = new AtlasRegistry(clock, AtlasRegistryDifferentialTest.atlasConfig());
    StepRegistry ours = new StepRegistry(clock, StepRegistryConfig.defaults());

    assertThatThrownBy(() -> atlas.timer("t").record(huge)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> ours.timer("t").record(huge)).isInstanceOf(ArithmeticException.class);
  }
}
