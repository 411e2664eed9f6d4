package io.github.spectatorboot.micrometer;

import io.micrometer.core.instrument.AbstractDistributionSummary;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Micrometer distribution summary that records into a Spectator distribution summary
 * ({@code count}, {@code totalAmount}, {@code totalOfSquares}, {@code max}), or into a Spectator
 * percentile distribution summary when it publishes a percentile histogram; {@link #count()},
 * {@link #totalAmount()} and {@link #max()} are the last completed step.
 *
 * <p>Amounts are rounded to whole numbers after Micrometer's {@code scale}: Spectator's
 * distribution summaries record {@code long} amounts. A summary of fractions can be scaled up.
 */
final class BridgedDistributionSummary extends AbstractDistributionSummary {

  private final com.netflix.spectator.api.DistributionSummary recorder;
  private final com.netflix.spectator.api.DistributionSummary summary;

  /**
   * @param recorder where amounts go: {@code summary} itself or a percentile summary over it
   * @param summary the plain summary of the same id, read for the last step's values
   */
  BridgedDistributionSummary(Id id, Clock clock, DistributionStatisticConfig config, double scale,
      com.netflix.spectator.api.DistributionSummary recorder, com.netflix.spectator.api.DistributionSummary summary) {
    super(id, clock, config, scale, false);
    this.recorder = recorder;
    this.summary = summary;
  }

  @Override protected void recordNonNegative(double amount) {
    recorder.record(Math.round(amount));
  }

  @Override public long count() {
    return summary.count();
  }

  @Override public double totalAmount() {
    return summary.totalAmount();
  }

  @Override public double max() {
    return SpectatorStatistics.max(summary);
  }
}
