package io.github.spectatorboot.micrometer;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Statistic;
import com.netflix.spectator.api.histogram.PercentileDistributionSummary;
import com.netflix.spectator.api.histogram.PercentileTimer;
import com.netflix.spectator.api.patterns.PolledMeter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramGauges;
import io.micrometer.core.instrument.distribution.HistogramSupport;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.internal.DefaultGauge;
import io.micrometer.core.instrument.internal.DefaultLongTaskTimer;
import io.micrometer.core.instrument.internal.DefaultMeter;
import io.micrometer.core.instrument.util.DoubleFormat;
import io.micrometer.core.instrument.util.TimeUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A Micrometer {@link MeterRegistry} whose meters are meters of a Spectator {@link Registry}:
 * what is recorded through Micrometer is rolled over, published and shown with the registry's
 * other meters, in the same step. It owns no Spectator registry and no publisher.
 *
 * <p>How each Micrometer meter is reported (base time unit: seconds):
 * <ul>
 *   <li>counter: a Spectator counter, {@code statistic=count}, a rate per second;</li>
 *   <li>timer and distribution summary: a Spectator timer or distribution summary ({@code count},
 *       {@code totalTime}/{@code totalAmount}, {@code totalOfSquares}, {@code max}); with a
 *       percentile histogram, Spectator's percentile timer or distribution summary, whose
 *       {@code percentile} tags Atlas's {@code :percentiles} reads, bounded by the meter's minimum
 *       and maximum expected values;</li>
 *   <li>client-side percentiles and service level objectives: gauges tagged
 *       {@code percentile=0.95} or {@code service.level.objective=0.1} (seconds for timers), over
 *       Micrometer's step-long window, as Micrometer's Atlas registry reports them;</li>
 *   <li>gauge and time gauge: a Spectator polled gauge that holds the object weakly and samples it
 *       at the registry's gauge polling frequency; once the object is collected the gauge stops
 *       reporting;</li>
 *   <li>function counter: a polled monotonic counter (its increase, as a rate per second);
 *       function timer: two of them, {@code statistic=count} and {@code statistic=totalTime} in
 *       seconds;</li>
 *   <li>long task timer: polled gauges {@code statistic=activeTasks}, {@code duration} and
 *       {@code max} (seconds), the first two as Spectator's own long task timer reports them;</li>
 *   <li>a meter built with {@code Meter.builder}: one polled meter per measurement, monotonic
 *       counters for {@code COUNT}, {@code TOTAL} and {@code TOTAL_TIME}, gauges otherwise.</li>
 * </ul>
 *
 * <p>Names and tags stay as Micrometer's instrumentation gives them, except the reserved keys
 * ({@link AtlasNamingConvention}). Tag keys the Spectator registry adds to every measurement (its
 * common tags) are left out of Micrometer's ids, so a key is never sent twice and the Spectator
 * value wins. A Micrometer meter whose id is already a Spectator meter of another type gets the
 * registry's answer to a type conflict: nothing recorded, one warning.
 *
 * <p>Why not Micrometer's {@code AtlasMeterRegistry}: it builds and starts an {@code AtlasRegistry}
 * with its own publisher, and its meters come with {@code spectator-reg-atlas}. This registry
 * follows its mapping (the statistics, percentile timers, the gauges of percentiles and
 * objectives, the reserved tag keys) onto the application's registry instead.
 */
public final class SpectatorMeterRegistry extends MeterRegistry {

  private final Registry registry;
  private final Duration step;
  private final Set<String> commonTagKeys;
  /** The Spectator ids polled for each Micrometer meter, so that removing the meter stops them. */
  private final Map<Meter.Id, List<PolledId>> polled = new ConcurrentHashMap<>();

  private record PolledId(Id id, boolean gauge) {}

  /**
   * A registry over {@code registry}.
   *
   * @param registry the Spectator registry the meters live in
   * @param clock Micrometer's clock, for timer samples and long task timers
   * @param step the Spectator registry's step: the window of client-side percentiles
   * @param commonTagKeys keys of the tags the Spectator registry adds to every measurement
   */
  public SpectatorMeterRegistry(Registry registry, Clock clock, Duration step, Set<String> commonTagKeys) {
    super(clock);
    this.registry = registry;
    this.step = step;
    this.commonTagKeys = Set.copyOf(commonTagKeys);
    config().namingConvention(new AtlasNamingConvention());
    config().onMeterRemoved(this::stopPolling);
  }

  /** The Spectator registry the meters live in. */
  public Registry spectatorRegistry() {
    return registry;
  }

  @Override protected Counter newCounter(Meter.Id id) {
    return new BridgedCounter(id, registry, spectatorId(id));
  }

  @Override protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
    Id sid = spectatorId(id);
    com.netflix.spectator.api.Timer timer = registry.timer(sid);
    com.netflix.spectator.api.Timer recorder = timer;
    if (Boolean.TRUE.equals(config.isPercentileHistogram())) {
      recorder = PercentileTimer.builder(registry).withId(sid)
          .withRange(expected(config.getMinimumExpectedValueAsDouble(), 0), expected(config.getMaximumExpectedValueAsDouble(), Long.MAX_VALUE), TimeUnit.NANOSECONDS)
          .build();
    }
    BridgedTimer bridged = new BridgedTimer(id, clock, withoutHistogram(config), pauseDetector, recorder, timer);
    registerHistogramGauges(bridged, id, TimeUnit.SECONDS);
    return bridged;
  }

  @Override protected DistributionSummary newDistributionSummary(Meter.Id id, DistributionStatisticConfig config, double scale) {
    Id sid = spectatorId(id);
    com.netflix.spectator.api.DistributionSummary summary = registry.distributionSummary(sid);
    com.netflix.spectator.api.DistributionSummary recorder = summary;
    if (Boolean.TRUE.equals(config.isPercentileHistogram())) {
      recorder = PercentileDistributionSummary.builder(registry).withId(sid)
          .withRange(expected(config.getMinimumExpectedValueAsDouble(), 0), expected(config.getMaximumExpectedValueAsDouble(), Long.MAX_VALUE))
          .build();
    }
    BridgedDistributionSummary bridged = new BridgedDistributionSummary(id, clock, withoutHistogram(config), scale, recorder, summary);
    registerHistogramGauges(bridged, id, null);
    return bridged;
  }

  @Override protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
    if (obj != null) {
      pollValue(id, spectatorId(id), obj, valueFunction);
    }
    return new DefaultGauge<>(id, obj, valueFunction);
  }

  @Override protected <T> FunctionCounter newFunctionCounter(Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
    Id sid = spectatorId(id);
    if (obj != null) {
      pollMonotonic(id, sid, obj, countFunction);
    }
    return new BridgedFunctionCounter(id, registry.counter(sid));
  }

  @Override protected <T> FunctionTimer newFunctionTimer(Meter.Id id, T obj, ToLongFunction<T> countFunction,
      ToDoubleFunction<T> totalTimeFunction, TimeUnit totalTimeFunctionUnit) {
    Id sid = spectatorId(id);
    Id countId = sid.withTag(SpectatorStatistics.STATISTIC, Statistic.count.name());
    Id totalTimeId = sid.withTag(SpectatorStatistics.STATISTIC, Statistic.totalTime.name());
    if (obj != null) {
      pollMonotonic(id, countId, obj, countFunction::applyAsLong);
      pollMonotonic(id, totalTimeId, obj,
          o -> TimeUtils.convert(totalTimeFunction.applyAsDouble(o), totalTimeFunctionUnit, TimeUnit.SECONDS));
    }
    return new BridgedFunctionTimer(id, registry.counter(countId), registry.counter(totalTimeId));
  }

  @Override protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig config) {
    DefaultLongTaskTimer ltt = new DefaultLongTaskTimer(id, clock, TimeUnit.SECONDS, withoutHistogram(config), false);
    Id sid = spectatorId(id);
    pollValue(id, sid.withTag(SpectatorStatistics.STATISTIC, Statistic.activeTasks.name()), ltt, LongTaskTimer::activeTasks);
    pollValue(id, sid.withTag(SpectatorStatistics.STATISTIC, Statistic.duration.name()), ltt, t -> t.duration(TimeUnit.SECONDS));
    pollValue(id, sid.withTag(SpectatorStatistics.STATISTIC, Statistic.max.name()), ltt, t -> t.max(TimeUnit.SECONDS));
    registerHistogramGauges(ltt, id, TimeUnit.SECONDS);
    return ltt;
  }

  @Override protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
    Id sid = spectatorId(id);
    for (Measurement m : measurements) {
      Statistic statistic = SpectatorStatistics.of(m.getStatistic());
      Id mid = statistic == null ? sid : sid.withTag(SpectatorStatistics.STATISTIC, statistic.name());
      if (SpectatorStatistics.isMonotonic(m.getStatistic())) {
        pollMonotonic(id, mid, m, Measurement::getValue);
      } else {
        pollValue(id, mid, m, Measurement::getValue);
      }
    }
    return new DefaultMeter(id, type, measurements);
  }

  @Override protected TimeUnit getBaseTimeUnit() {
    return TimeUnit.SECONDS;
  }

  @Override protected DistributionStatisticConfig defaultHistogramConfig() {
    return DistributionStatisticConfig.builder().expiry(step).build().merge(DistributionStatisticConfig.DEFAULT);
  }

  /**
   * Closes the registry and stops polling its gauges and function meters, so that no gauge calls
   * into beans being destroyed; their last values stay in the Spectator registry for the final
   * publish.
   */
  @Override public void close() {
    super.close();
    polled.values().forEach(ids -> ids.forEach(p -> PolledMeter.remove(registry, p.id())));
    polled.clear();
  }

  private Id spectatorId(Meter.Id id) {
    List<Tag> tags = getConventionTags(id);
    List<String> kv = new ArrayList<>(2 * tags.size());
    for (Tag t : tags) {
      if (!commonTagKeys.contains(t.getKey())) {
        kv.add(t.getKey());
        kv.add(t.getValue());
      }
    }
    return registry.createId(getConventionName(id), kv.toArray(String[]::new));
  }

  private <T> void pollValue(Meter.Id owner, Id id, T obj, ToDoubleFunction<T> f) {
    try {
      PolledMeter.using(registry).withId(id).monitorValue(obj, guarded(id, f));
      track(owner, new PolledId(id, true));
    } catch (RuntimeException e) {
      registry.propagate(e);
    }
  }

  private <T> void pollMonotonic(Meter.Id owner, Id id, T obj, ToDoubleFunction<T> f) {
    try {
      PolledMeter.using(registry).withId(id).monitorMonotonicCounterDouble(obj, guarded(id, f));
      track(owner, new PolledId(id, false));
    } catch (RuntimeException e) {
      registry.propagate(e);
    }
  }

  private void track(Meter.Id owner, PolledId id) {
    polled.computeIfAbsent(owner, k -> new ArrayList<>(1)).add(id);
  }

  /**
   * A function that gives NaN (no value) where {@code f} throws, and has the registry log that
   * once: a broken gauge function must neither stop the poller nor flood the log.
   */
  private <T> ToDoubleFunction<T> guarded(Id id, ToDoubleFunction<T> f) {
    return obj -> {
      try {
        return f.applyAsDouble(obj);
      } catch (RuntimeException e) {
        registry.propagate("the function of Micrometer meter " + id.name() + " failed: " + e, e);
        return Double.NaN;
      }
    };
  }

  /** Stops the polled meters of a removed Micrometer meter; its gauges stop reporting at once. */
  private void stopPolling(Meter meter) {
    List<PolledId> ids = polled.remove(meter.getId());
    if (ids == null) {
      return;
    }
    for (PolledId p : ids) {
      PolledMeter.remove(registry, p.id());
      if (p.gauge()) {
        registry.gauge(p.id()).set(Double.NaN);
      }
    }
  }

  /**
   * Client-side percentiles and service level objectives as gauges, as Micrometer's Atlas registry
   * reports them; nothing when the meter has neither.
   */
  private void registerHistogramGauges(HistogramSupport meter, Meter.Id id, TimeUnit unit) {
    HistogramGauges.register(meter, this,
        p -> id.getName(),
        p -> Tags.concat(id.getTagsAsIterable(), "percentile", DoubleFormat.decimalOrNan(p.percentile())),
        p -> unit == null ? p.value() : p.value(unit),
        b -> id.getName(),
        b -> Tags.concat(id.getTagsAsIterable(), "service.level.objective",
            DoubleFormat.wholeOrDecimal(unit == null ? b.bucket() : b.bucket(unit))));
  }

  /**
   * The configuration Micrometer's side of a meter keeps: everything but the percentile
   * histogram, which Spectator's percentile timer and summary hold.
   */
  private static DistributionStatisticConfig withoutHistogram(DistributionStatisticConfig config) {
    return DistributionStatisticConfig.builder().percentilesHistogram(false).build().merge(config);
  }

  private static long expected(Double value, long dflt) {
    return value == null ? dflt : value.longValue();
  }
}
