package io.github.spectatorboot.registry;

import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Accumulates the four statistics of a timer's or a distribution summary's records and adds them
 * as one update to the live meter of the id every {@code batchSize} records and on
 * {@link #flush()}. Values are taken as the meter itself takes them: a negative or zero value
 * counts and adds nothing else; a timer's durations are converted to nanoseconds.
 */
final class StepDistributionBatchUpdater extends StepBatchUpdater
    implements Timer.BatchUpdater, DistributionSummary.BatchUpdater {

  private final int batchSize;
  private long count;
  private double total;
  private double totalOfSquares;
  private long max;

  StepDistributionBatchUpdater(StepDistribution origin, int batchSize) {
    super(origin);
    this.batchSize = batchSize;
  }

  @Override public void record(long amount, TimeUnit unit) {
    add(amount > 0 ? unit.toNanos(amount) : amount);
  }

  @Override public void record(Duration amount) {
    add(StepTimer.nanos(amount));
  }

  @Override public void record(long amount) {
    add(amount);
  }

  private void add(long value) {
    if (value > 0) {
      total += value;
      totalOfSquares += (double) value * value;
      max = Math.max(max, value);
    }
    if (++count >= batchSize) {
      flush();
    }
  }

  @Override public void flush() {
    if (count > 0 && target() instanceof StepDistribution d) {
      d.recordValues(count, total, totalOfSquares, max);
    }
    count = 0;
    total = 0.0;
    totalOfSquares = 0.0;
    max = 0;
  }

  @Override public void close() {
    flush();
  }
}
