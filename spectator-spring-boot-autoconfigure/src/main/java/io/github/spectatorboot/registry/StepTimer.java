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
 *
 * <p>The total is kept as a double, as {@code AtlasTimer} keeps it, so durations near
 * {@code Long.MAX_VALUE} nanoseconds add up to the right positive total, not a wrapped one. A
 * {@link Duration} beyond what {@link Duration#toNanos()} can give counts as
 * {@code Long.MAX_VALUE} nanoseconds (or, negative, as a negative duration) where
 * {@code AtlasTimer} throws {@link ArithmeticException}.
 */
final class StepTimer extends StepDistribution implements Timer {

  private static final double SECONDS_PER_NANO = 1e-9;
  private static final double SECONDS_PER_NANO_SQUARED = 1e-18;
  private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);
  private static final Duration MIN_NANOS = Duration.ofNanos(Long.MIN_VALUE);

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
    recordValue(nanos(amount));
  }

  @Override public void record(long[] amounts, int n, TimeUnit unit) {
    recordAll(amounts, n, unit);
  }

  @Override public void record(Duration[] amounts, int n) {
    int limit = Math.min(Math.max(0, n), amounts.length);
    double sum = 0.0;
    double sumOfSquares = 0.0;
    long maxValue = 0;
    for (int i = 0; i < limit; i++) {
      long nanos = nanos(amounts[i]);
      if (nanos > 0) {
        sum += nanos;
        sumOfSquares += (double) nanos * nanos;
        maxValue = Math.max(maxValue, nanos);
      }
    }
    recordValues(limit, sum, sumOfSquares, maxValue);
  }

  /**
   * The duration in nanoseconds, saturated at {@code Long.MAX_VALUE} or {@code Long.MIN_VALUE}
   * where {@link Duration#toNanos()} would throw (beyond about 292 years): as {@code TimeUnit}
   * saturates, and never an exception into application code.
   */
  static long nanos(Duration amount) {
    if (amount.compareTo(MAX_NANOS) >= 0) {
      return Long.MAX_VALUE;
    }
    return amount.compareTo(MIN_NANOS) <= 0 ? Long.MIN_VALUE : amount.toNanos();
  }

  /** Batches records; each flush goes to the timer registered for the id at that time. */
  @Override public BatchUpdater batchUpdater(int batchSize) {
    return new StepDistributionBatchUpdater(this, batchSize);
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
