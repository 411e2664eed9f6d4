package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.api.histogram.PercentileTimer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Records each call's duration, measured with the registry's monotonic clock, in a timer or a
 * percentile timer tagged with its outcome. The meter is asked of the registry on each call, as
 * Spectator intends: the registry then recreates an expired meter and, once meters have expired,
 * replaces the no-op it hands out beyond {@code maxMeters}.
 */
final class TimerRecorder extends MethodRecorder {

  private final Registry registry;
  private final Clock clock;
  private final Id baseId;
  private final Id successId;
  private final Id cancelledId;
  private final boolean percentiles;
  private final long rangeMinNanos;
  private final long rangeMaxNanos;

  TimerRecorder(Registry registry, MeterSpec spec, Class<?> targetClass, ReturnKind kind, String method, Logger logger) {
    super(targetClass, kind, method, logger);
    this.registry = registry;
    this.clock = registry.clock();
    this.baseId = spec.baseId(registry);
    this.successId = baseId.withTag(AspectTags.EXCEPTION, AspectTags.NONE);
    this.cancelledId = baseId.withTag(AspectTags.EXCEPTION, AspectTags.CANCELLED);
    this.percentiles = spec.percentiles();
    this.rangeMinNanos = spec.rangeMinNanos();
    this.rangeMaxNanos = spec.rangeMaxNanos();
  }

  @Override long start() {
    return clock.monotonicTime();
  }

  @Override void success(long start) {
    record(successId, start);
  }

  @Override void failure(long start, Throwable error) {
    try {
      record(baseId.withTag(AspectTags.EXCEPTION, exceptionTag(error)), start);
    } catch (RuntimeException e) {
      warn(e);
    }
  }

  @Override void cancelled(long start) {
    record(cancelledId, start);
  }

  private void record(Id id, long start) {
    try {
      long duration = clock.monotonicTime() - start;
      timer(id).record(duration, TimeUnit.NANOSECONDS);
    } catch (RuntimeException | LinkageError e) {
      warn(e);
    }
  }

  private Timer timer(Id id) {
    if (!percentiles) {
      return registry.timer(id);
    }
    return PercentileTimer.builder(registry)
        .withId(id)
        .withRange(rangeMinNanos, rangeMaxNanos, TimeUnit.NANOSECONDS)
        .build();
  }
}
