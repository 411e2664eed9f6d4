package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Meter;
import com.netflix.spectator.api.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Timer that reports, per step, {@code count}, {@code totalTime} (seconds) and
 * {@code totalOfSquares} (seconds squared) as rates, and {@code max} (seconds) as the longest
 * duration recorded in the step; {@link #count()} and {@link #totalTime()} are the last completed
 * step. A negative duration counts but adds no time, as in Spectator's {@code AtlasTimer}.
 */
final class StepTimer extends StepDistribution implements Timer {

  private static final double SECONDS_PER_NANO = 1e-9;
  private static final double SECONDS_PER_NANO_SQUARED = 1e-18;

  StepTimer(Id id, StepRegistry owner) {
    super(id, owner, MeterType.TIMER, AtlasNames.TOTAL_TIME, SECONDS_PER_NANO, SECONDS_PER_NANO_SQUARED);
  }

  @Override public Clock clock() {
    return owner.clock();
  }

  @Override public void record(long amount, TimeUnit unit) {
    recordValue(amount > 0 ? unit.toNanos(amount) : amount);
  }

  @Override public void record(Duration amount) {
    recordValue(amount.toNanos());
  }

  @Override public void record(long[] amounts, int n, TimeUnit unit) {
    recordAll(amounts, n, unit);
  }

  @Override public void record(Duration[] amounts, int n) {
    int limit = Math.min(Math.max(0, n), amounts.length);
    long sum = 0;
    double sumOfSquares = 0.0;
    long maxValue = 0;
    for (int i = 0; i < limit; i++) {
      long nanos = amounts[i].toNanos();
      if (nanos > 0) {
        sum += nanos;
        sumOfSquares += (double) nanos * nanos;
        maxValue = Math.max(maxValue, nanos);
      }
    }
    recordValues(limit, sum, sumOfSquares, maxValue);
  }

  @Override public long count() {
    return lastCount();
  }

  @Override public long totalTime() {
    return lastTotal();
  }

  @Override Meter lookupLive() {
    return owner.timer(id);
  }
}
