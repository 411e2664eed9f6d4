package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Counter;

/**
 * Sums additions to a counter and adds the sum to the live counter of the id every
 * {@code batchSize} additions and on {@link #flush()}; non-finite and non-positive amounts are
 * ignored, as by the counter itself.
 */
final class StepCounterBatchUpdater extends StepBatchUpdater implements Counter.BatchUpdater {

  private final int batchSize;
  private int count;
  private double sum;

  StepCounterBatchUpdater(StepCounter origin, int batchSize) {
    super(origin);
    this.batchSize = batchSize;
  }

  @Override public void add(double amount) {
    if (amount > 0.0 && amount < Double.POSITIVE_INFINITY) {
      sum += amount;
      if (++count >= batchSize) {
        flush();
      }
    }
  }

  @Override public void flush() {
    if (count > 0 && target() instanceof Counter c) {
      c.add(sum);
    }
    sum = 0.0;
    count = 0;
  }

  @Override public void close() {
    flush();
  }
}
