package io.github.spectatorboot.micrometer;

import com.netflix.spectator.api.Measurement;
import com.netflix.spectator.api.Meter;
import com.netflix.spectator.api.Statistic;

/** Mapping between Micrometer's statistics and Spectator's, and reads of a Spectator meter's statistics. */
final class SpectatorStatistics {

  /** Tag key of the statistic in Spectator ids. */
  static final String STATISTIC = "statistic";

  private SpectatorStatistics() {}

  /**
   * The Spectator statistic of a Micrometer one, or {@code null} for {@code UNKNOWN}, which is
   * reported as a gauge without a statistic of its own.
   */
  static Statistic of(io.micrometer.core.instrument.Statistic statistic) {
    return switch (statistic) {
      case COUNT -> Statistic.count;
      case TOTAL -> Statistic.totalAmount;
      case TOTAL_TIME -> Statistic.totalTime;
      case MAX -> Statistic.max;
      case VALUE -> Statistic.gauge;
      case ACTIVE_TASKS -> Statistic.activeTasks;
      case DURATION -> Statistic.duration;
      case UNKNOWN -> null;
    };
  }

  /**
   * Whether Micrometer reports the statistic as a running total, which Atlas wants as a rate of
   * its increase.
   */
  static boolean isMonotonic(io.micrometer.core.instrument.Statistic statistic) {
    return switch (statistic) {
      case COUNT, TOTAL, TOTAL_TIME -> true;
      default -> false;
    };
  }

  /** The {@code max} a Spectator meter reported for its last step, or 0 when it reports none. */
  static double max(Meter meter) {
    for (Measurement m : meter.measure()) {
      for (com.netflix.spectator.api.Tag t : m.id().tags()) {
        if (STATISTIC.equals(t.key()) && Statistic.max.name().equals(t.value())) {
          return m.value();
        }
      }
    }
    return 0.0;
  }
}
