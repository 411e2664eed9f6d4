package io.github.spectatorboot.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.within;

import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.patterns.PolledMeter;
import io.github.spectatorboot.registry.StepMeasurement;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.github.spectatorboot.registry.StepSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The contract of the bridge, meter type by meter type: what Micrometer records over several
 * steps is what the Spectator registry's snapshots of those steps hold. Gauges are sampled by
 * forcing Spectator's gauge poll ({@link PolledMeter#update}) before each step is rolled over.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpectatorMeterRegistryTest {

  private static final long STEP = 60_000;
  private static final long START = 1_700_000_040_000L - 1_700_000_040_000L % STEP + 1_000;

  private final ManualClock spectatorClock = new ManualClock(START, 0);
  private final MockClock micrometerClock = new MockClock();
  private StepRegistry registry;
  private SpectatorMeterRegistry micrometer;

  @BeforeEach
  void createRegistries() {
    StepRegistryConfig config = StepRegistryConfig.defaults().withStep(Duration.ofMillis(STEP))
        .withCommonTags(Map.of("nf.app", "shop"));
    registry = new StepRegistry(spectatorClock, config);
    micrometer = new SpectatorMeterRegistry(registry, micrometerClock, Duration.ofMillis(STEP), registry.commonTags().keySet());
  }

  /** Samples the polled meters, rolls the step over and moves both clocks into the next step. */
  private StepSnapshot nextStep() {
    PolledMeter.update(registry);
    long stepEnd = registry.lastStepBoundary() + STEP;
    spectatorClock.setWallTime(stepEnd + 1_000);
    micrometerClock.add(Duration.ofMillis(STEP));
    return registry.poll(stepEnd);
  }

  /** Deltas of a snapshot by {@code name{tags,statistic}}, the registry's own meters left out. */
  private static Map<String, Double> values(StepSnapshot snapshot) {
    Map<String, Double> out = new TreeMap<>();
    for (StepMeasurement m : snapshot.measurements()) {
      if (m.id().name().startsWith("spectator.")) {
        continue;
      }
      Map<String, String> tags = new TreeMap<>();
      m.id().tags().forEach(t -> tags.put(t.key(), t.value()));
      tags.put("statistic", m.statistic());
      out.put(m.id().name() + tags, m.delta());
    }
    return out;
  }

  /** The one measurement of {@code name} in a snapshot. */
  private static StepMeasurement measurement(StepSnapshot snapshot, String name) {
    return snapshot.measurements().stream().filter(m -> m.id().name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aCounterIdleLongEnoughForItsSpectatorCounterToBeRemovedStillReachesTheNextStep() {
    Counter counter = micrometer.counter("orders", "region", "eu");
    counter.increment();
    nextStep();
    StepSnapshot idle = null;
    for (int i = 0; i < 40; i++) { // far beyond the registry's TTL and the polls that drain a removed meter
      idle = nextStep();
    }
    assertThat(values(idle)).doesNotContainKey("orders{region=eu, statistic=count}");
    assertThat(registry.stream().anyMatch(m -> m.id().name().equals("orders")))
        .as("the idle counter was removed from the registry").isFalse();

    counter.increment(4);

    assertThat(values(nextStep())).containsExactlyEntriesOf(Map.of("orders{region=eu, statistic=count}", 4.0));
    assertThat(counter.count()).isEqualTo(4.0);
  }

  @Test
  void counterIncrementsArriveInTheStepTheyWereMadeInAsRates() {
    Counter counter = micrometer.counter("orders", "region", "eu");

    counter.increment(3);
    StepSnapshot first = nextStep();
    counter.increment(2.5);
    counter.increment();
    StepSnapshot second = nextStep();
    StepSnapshot third = nextStep();

    assertThat(values(first)).containsExactlyEntriesOf(Map.of("orders{region=eu, statistic=count}", 3.0));
    assertThat(values(second)).containsExactlyEntriesOf(Map.of("orders{region=eu, statistic=count}", 3.5));
    assertThat(measurement(second, "orders").rate()).isEqualTo(3.5 / 60);
    assertThat(values(third)).containsExactlyEntriesOf(Map.of("orders{region=eu, statistic=count}", 0.0));
    assertThat(counter.count()).as("Micrometer's count is the last completed step").isZero();
  }

  @Test
  void micrometerShowsTheLastCompletedStepAsTheSpectatorRegistryDoes() {
    Counter counter = micrometer.counter("orders");
    Timer timer = micrometer.timer("latency");

    counter.increment(4);
    timer.record(Duration.ofMillis(250));
    timer.record(Duration.ofMillis(750));
    nextStep();

    assertThat(counter.count()).isEqualTo(4.0);
    assertThat(timer.count()).isEqualTo(2);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000.0);
    assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(750.0);
    assertThat(timer.mean(TimeUnit.MILLISECONDS)).isEqualTo(500.0);
  }

  @Test
  void timerReportsCountTotalTimeTotalOfSquaresAndMaxInSecondsPerStep() {
    Timer timer = micrometer.timer("latency", "uri", "/orders");

    timer.record(Duration.ofMillis(100));
    timer.record(300, TimeUnit.MILLISECONDS);
    StepSnapshot first = nextStep();
    timer.record(Duration.ofSeconds(2));
    StepSnapshot second = nextStep();
    StepSnapshot third = nextStep();

    Map<String, Double> one = values(first);
    assertThat(one).containsOnlyKeys("latency{statistic=count, uri=_orders}", "latency{statistic=max, uri=_orders}",
        "latency{statistic=totalOfSquares, uri=_orders}", "latency{statistic=totalTime, uri=_orders}");
    assertThat(one.get("latency{statistic=count, uri=_orders}")).isEqualTo(2.0);
    assertThat(one.get("latency{statistic=totalTime, uri=_orders}")).isCloseTo(0.4, within(1e-12));
    assertThat(one.get("latency{statistic=totalOfSquares, uri=_orders}")).isCloseTo(0.1, within(1e-12));
    assertThat(one.get("latency{statistic=max, uri=_orders}")).isCloseTo(0.3, within(1e-12));
    Map<String, Double> two = values(second);
    assertThat(two.get("latency{statistic=count, uri=_orders}")).isEqualTo(1.0);
    assertThat(two.get("latency{statistic=totalTime, uri=_orders}")).isCloseTo(2.0, within(1e-12));
    assertThat(two.get("latency{statistic=max, uri=_orders}")).isCloseTo(2.0, within(1e-12));
    assertThat(values(third).get("latency{statistic=count, uri=_orders}")).isZero();
  }

  @Test
  void timerSamplesAndCallablesAreTimedWithMicrometersClock() throws Exception {
    Timer timer = micrometer.timer("work");

    Timer.Sample sample = Timer.start(micrometer);
    micrometerClock.add(Duration.ofMillis(40));
    sample.stop(timer);
    timer.recordCallable(() -> micrometerClock.add(Duration.ofMillis(60)));
    Map<String, Double> step = values(nextStep());

    assertThat(step.get("work{statistic=count}")).isEqualTo(2.0);
    assertThat(step.get("work{statistic=totalTime}")).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void distributionSummaryReportsScaledAmountsRoundedToWholeNumbers() {
    DistributionSummary summary = DistributionSummary.builder("payload").baseUnit("bytes").scale(10).register(micrometer);

    summary.record(1);
    summary.record(2.04);
    StepSnapshot first = nextStep();
    summary.record(5);
    StepSnapshot second = nextStep();

    assertThat(values(first)).containsExactlyInAnyOrderEntriesOf(Map.of("payload{statistic=count}", 2.0,
        "payload{statistic=totalAmount}", 30.0, "payload{statistic=totalOfSquares}", 500.0, "payload{statistic=max}", 20.0));
    assertThat(values(second)).containsEntry("payload{statistic=count}", 1.0).containsEntry("payload{statistic=totalAmount}", 50.0);
    assertThat(summary.count()).isEqualTo(1);
    assertThat(summary.totalAmount()).isEqualTo(50.0);
    assertThat(summary.max()).isEqualTo(50.0);
  }

  @Test
  void percentileHistogramTimerPublishesSpectatorPercentileCountersBesideTheTimer() {
    Timer timer = Timer.builder("http.server.requests").publishPercentileHistogram().register(micrometer);

    for (int i = 1; i <= 10; i++) {
      timer.record(Duration.ofMillis(10L * i));
    }
    Map<String, Double> step = values(nextStep());

    assertThat(step.get("http.server.requests{statistic=count}")).isEqualTo(10.0);
    Map<String, Double> percentiles = new TreeMap<>();
    step.forEach((k, v) -> {
      if (k.contains("statistic=percentile")) {
        percentiles.put(k, v);
      }
    });
    assertThat(percentiles.keySet()).allMatch(k -> k.matches("http\\.server\\.requests\\{percentile=T[0-9A-F]{4}, statistic=percentile}"));
    assertThat(percentiles.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(10.0);
    assertThat(timer.takeSnapshot().histogramCounts()).as("the histogram is Spectator's, not kept twice").isEmpty();
  }

  @Test
  void percentileHistogramSummaryPublishesSpectatorPercentileCounters() {
    DistributionSummary summary = DistributionSummary.builder("sizes").publishPercentileHistogram()
        .minimumExpectedValue(1.0).maximumExpectedValue(1000.0).register(micrometer);

    summary.record(5);
    summary.record(50);
    summary.record(500);
    Map<String, Double> step = values(nextStep());

    assertThat(step.get("sizes{statistic=count}")).isEqualTo(3.0);
    assertThat(step.entrySet().stream().filter(e -> e.getKey().contains("statistic=percentile"))
        .mapToDouble(Map.Entry::getValue).sum()).isEqualTo(3.0);
  }

  @Test
  void clientSidePercentilesAndServiceLevelObjectivesArePublishedAsGaugesInSeconds() {
    Timer timer = Timer.builder("checkout").publishPercentiles(0.5)
        .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(1)).register(micrometer);

    timer.record(Duration.ofMillis(50));
    timer.record(Duration.ofMillis(60));
    timer.record(Duration.ofMillis(500));
    Map<String, Double> step = values(nextStep());

    assertThat(step.get("checkout{service.level.objective=0.1, statistic=gauge}")).isEqualTo(2.0);
    assertThat(step.get("checkout{service.level.objective=1, statistic=gauge}")).isEqualTo(3.0);
    assertThat(step.get("checkout{percentile=0.5, statistic=gauge}")).isCloseTo(0.06, within(0.01));
    assertThat(step.get("checkout{statistic=count}")).isEqualTo(3.0);
  }

  @Test
  void gaugeSamplesItsObjectAtEveryStep() {
    AtomicLong queued = new AtomicLong(5);
    Gauge.builder("queue.size", queued, AtomicLong::doubleValue).tag("queue", "orders").register(micrometer);

    StepSnapshot first = nextStep();
    queued.set(7);
    StepSnapshot second = nextStep();

    assertThat(values(first)).containsExactlyEntriesOf(Map.of("queue.size{queue=orders, statistic=gauge}", 5.0));
    assertThat(values(second)).containsExactlyEntriesOf(Map.of("queue.size{queue=orders, statistic=gauge}", 7.0));
    assertThat(measurement(first, "queue.size").isRate()).isFalse();
  }

  @Test
  void gaugeWhoseObjectIsCollectedStopsReporting() {
    WeakReference<AtomicLong> ref = registerGaugeOnGarbage();
    assertThat(values(nextStep())).containsEntry("orphan{statistic=gauge}", 42.0);

    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
    }
    assertThat(ref.get()).as("the gauge's object was collected").isNull();
    StepSnapshot after = nextStep();
    StepSnapshot later = nextStep();

    assertThat(values(after)).doesNotContainKey("orphan{statistic=gauge}");
    assertThat(values(later)).doesNotContainKey("orphan{statistic=gauge}");
    assertThat(micrometer.get("orphan").gauge().value()).isNaN();
  }

  /** A gauge on an object nothing else holds; returns a weak reference to watch it go. */
  private WeakReference<AtomicLong> registerGaugeOnGarbage() {
    AtomicLong value = new AtomicLong(42);
    micrometer.gauge("orphan", value);
    return new WeakReference<>(value);
  }

  @Test
  void gaugeWithAStrongReferenceKeepsReporting() {
    Gauge.builder("connections", () -> 3).strongReference(true).register(micrometer);
    System.gc();

    assertThat(values(nextStep())).containsEntry("connections{statistic=gauge}", 3.0);
    System.gc();
    assertThat(values(nextStep())).containsEntry("connections{statistic=gauge}", 3.0);
  }

  @Test
  void timeGaugeIsReportedInSeconds() {
    AtomicLong uptimeMillis = new AtomicLong(1500);
    TimeGauge.builder("uptime", uptimeMillis, TimeUnit.MILLISECONDS, AtomicLong::doubleValue).register(micrometer);

    assertThat(values(nextStep())).containsEntry("uptime{statistic=gauge}", 1.5);
  }

  @Test
  void removedGaugeStopsReportingAtOnce() {
    AtomicLong value = new AtomicLong(9);
    Gauge gauge = Gauge.builder("pool.size", value, AtomicLong::doubleValue).register(micrometer);
    assertThat(values(nextStep())).containsEntry("pool.size{statistic=gauge}", 9.0);

    micrometer.remove(gauge);

    assertThat(values(nextStep())).doesNotContainKey("pool.size{statistic=gauge}");
  }

  @Test
  void functionCounterReportsTheIncreaseOfItsRunningTotalPerStep() {
    AtomicLong completed = new AtomicLong(100);
    FunctionCounter counter = FunctionCounter.builder("executor.completed", completed, AtomicLong::doubleValue)
        .register(micrometer);

    completed.addAndGet(5);
    StepSnapshot first = nextStep();
    completed.addAndGet(12);
    StepSnapshot second = nextStep();

    assertThat(values(first)).containsExactlyEntriesOf(Map.of("executor.completed{statistic=count}", 5.0));
    assertThat(values(second)).containsExactlyEntriesOf(Map.of("executor.completed{statistic=count}", 12.0));
    assertThat(measurement(second, "executor.completed").isRate()).isTrue();
    assertThat(counter.count()).isEqualTo(12.0);
  }

  @Test
  void functionTimerReportsCountAndTotalTimeInSecondsAsRates() {
    DoubleAdder totalMillis = new DoubleAdder();
    AtomicLong calls = new AtomicLong();
    Object source = new Object();
    FunctionTimer timer = FunctionTimer.builder("cache.gets.latency", source, o -> calls.get(), o -> totalMillis.sum(),
        TimeUnit.MILLISECONDS).register(micrometer);

    calls.addAndGet(4);
    totalMillis.add(200);
    StepSnapshot first = nextStep();
    calls.addAndGet(1);
    totalMillis.add(1000);
    StepSnapshot second = nextStep();

    assertThat(values(first)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "cache.gets.latency{statistic=count}", 4.0, "cache.gets.latency{statistic=totalTime}", 0.2));
    assertThat(values(second)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "cache.gets.latency{statistic=count}", 1.0, "cache.gets.latency{statistic=totalTime}", 1.0));
    assertThat(timer.count()).isEqualTo(1.0);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000.0);
    assertThat(source).isNotNull();
  }

  @Test
  void longTaskTimerReportsActiveTasksDurationAndMaxInSeconds() {
    LongTaskTimer timer = LongTaskTimer.builder("http.server.requests.active").register(micrometer);

    LongTaskTimer.Sample first = timer.start();
    micrometerClock.add(Duration.ofSeconds(3));
    LongTaskTimer.Sample second = timer.start();
    micrometerClock.add(Duration.ofSeconds(1));
    Map<String, Double> running = values(nextStep());
    first.stop();
    second.stop();
    Map<String, Double> done = values(nextStep());

    assertThat(running).containsEntry("http.server.requests.active{statistic=activeTasks}", 2.0)
        .containsEntry("http.server.requests.active{statistic=duration}", 5.0)
        .containsEntry("http.server.requests.active{statistic=max}", 4.0);
    assertThat(done).containsEntry("http.server.requests.active{statistic=activeTasks}", 0.0)
        .containsEntry("http.server.requests.active{statistic=duration}", 0.0);
  }

  @Test
  void customMeterReportsRunningTotalsAsRatesAndOtherStatisticsAsGauges() {
    AtomicLong hits = new AtomicLong();
    AtomicLong size = new AtomicLong(12);
    List<Measurement> measurements = List.of(new Measurement(hits::doubleValue, Statistic.COUNT),
        new Measurement(size::doubleValue, Statistic.VALUE));
    Meter.builder("cache", Meter.Type.OTHER, measurements).tag("cache", "users").register(micrometer);

    hits.addAndGet(6);
    StepSnapshot first = nextStep();
    hits.addAndGet(2);
    size.set(15);
    StepSnapshot second = nextStep();

    assertThat(values(first)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "cache{cache=users, statistic=count}", 6.0, "cache{cache=users, statistic=gauge}", 12.0));
    assertThat(values(second)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "cache{cache=users, statistic=count}", 2.0, "cache{cache=users, statistic=gauge}", 15.0));
  }

  @Test
  void spectatorCommonTagKeysAreLeftOutOfMicrometerIdsSoTheSpectatorValueWins() {
    micrometer.config().commonTags("nf.app", "other", "region", "eu");

    micrometer.counter("logins").increment();
    StepSnapshot step = nextStep();

    assertThat(values(step)).containsOnlyKeys("logins{region=eu, statistic=count}");
    assertThat(step.commonTags()).containsExactlyEntriesOf(Map.of("nf.app", "shop"));
  }

  @Test
  void tagKeysAtlasReservesAreRenamed() {
    micrometer.counter("jobs", "name", "nightly", "statistic", "p99").increment();

    assertThat(values(nextStep())).containsOnlyKeys("jobs{name.tag=nightly, statistic=count, statistic.tag=p99}");
  }

  @Test
  void micrometerMeterOfAnotherTypeThanTheSpectatorMeterOfItsIdRecordsNothingAndWarnsOnce(CapturedOutput output) {
    registry.timer("conflict").record(1, TimeUnit.SECONDS);
    registry.counter("conflict.gauge").increment();

    assertThatNoException().isThrownBy(() -> {
      Counter counter = micrometer.counter("conflict");
      counter.increment();
      counter.increment();
      micrometer.gauge("conflict.gauge", new AtomicLong(3));
    });
    Map<String, Double> step = values(nextStep());

    assertThat(step).containsOnlyKeys("conflict{statistic=count}", "conflict{statistic=totalTime}",
        "conflict{statistic=totalOfSquares}", "conflict{statistic=max}", "conflict.gauge{statistic=count}");
    assertThat(step).containsEntry("conflict{statistic=count}", 1.0).containsEntry("conflict.gauge{statistic=count}", 1.0);
    assertThat(output.getOut().lines().filter(l -> l.contains("'conflict'") && l.contains("logged once"))).hasSize(1);
    assertThat(output.getOut().lines().filter(l -> l.contains("'conflict.gauge'") && l.contains("logged once"))).hasSize(1);
  }

  @Test
  void closingStopsPollingButKeepsTheLastValuesForTheFinalPublish() {
    AtomicLong value = new AtomicLong(4);
    Gauge.builder("sessions", value, AtomicLong::doubleValue).register(micrometer);
    nextStep();

    micrometer.close();
    value.set(99);

    assertThat(values(nextStep())).containsEntry("sessions{statistic=gauge}", 4.0);
    assertThat(registry.state().keySet()).noneMatch(id -> id.name().equals("sessions"));
  }

  @Test
  void recordingThroughHeldMicrometerMetersAllocatesNothing() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Counter counter = micrometer.counter("c");
    Timer timer = micrometer.timer("t");
    DistributionSummary summary = micrometer.summary("d");
    record(counter, timer, summary, 20_000); // warm up: class loading and the interpreter's first allocations

    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    record(counter, timer, summary, 100_000);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    // 400,000 updates: one allocation per update, 16 bytes at least, would be 6.4 MB; the margin
    // leaves room for what the JIT or the thread allocate once (1.3 kB seen on one run)
    assertThat(allocated).isLessThan(64 * 1_024);
  }

  private static void record(Counter counter, Timer timer, DistributionSummary summary, int n) {
    Duration duration = Duration.ofMillis(3);
    for (int i = 0; i < n; i++) {
      counter.increment();
      timer.record(i, TimeUnit.NANOSECONDS);
      timer.record(duration);
      summary.record(i);
    }
  }
}
