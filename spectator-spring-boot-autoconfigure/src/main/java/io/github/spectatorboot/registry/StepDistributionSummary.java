package io.github.spectatorboot.registry;

import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Meter;

/**
 * Distribution summary that reports, per step, {@code count}, {@code totalAmount} and
 * {@code totalOfSquares} as rates and {@code max} as the largest amount recorded in the step, in
 * the unit recorded; {@link #count()} and {@link #totalAmount()} are the last completed step.
 * A negative amount counts but adds nothing, as in Spectator's {@code AtlasDistributionSummary}.
 */
final class StepDistributionSummary extends StepDistribution implements DistributionSummary {

  StepDistributionSummary(Id id, StepRegistry owner) {
    super(id, owner, MeterType.DISTRIBUTION_SUMMARY, AtlasNames.TOTAL_AMOUNT, 1.0, 1.0);
  }

  @Override public void record(long amount) {
    recordValue(amount);
  }

  @Override public void record(long[] amounts, int n) {
    recordAll(amounts, n, null);
  }

  /** Batches records; each flush goes to the summary registered for the id at that time. */
  @Override public BatchUpdater batchUpdater(int batchSize) {
    return new StepDistributionBatchUpdater(this, batchSize);
  }

  @Override public long count() {
    return lastCount();
  }

  @Override public long totalAmount() {
    return lastTotal();
  }

  @Override Meter lookupLive() {
    return owner.distributionSummary(id);
  }
}
