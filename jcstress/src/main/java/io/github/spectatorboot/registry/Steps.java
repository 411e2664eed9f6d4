package io.github.spectatorboot.registry;

import com.netflix.spectator.api.ManualClock;
import java.time.Duration;

/**
 * What the stress tests share: a registry on a manual clock whose steps they poll by hand, and
 * reading one value out of a snapshot.
 */
final class Steps {

  static final long STEP = 60_000;
  static final long T0 = 1_700_000_000_000L / STEP * STEP;
  /** Meter TTL in steps: a meter last active in step 1 is removed by the poll of step 1 + TTL_STEPS. */
  static final int TTL_STEPS = 4;

  private Steps() {}

  /** A registry whose idle meters expire {@link #TTL_STEPS} steps after their last activity. */
  static StepRegistry registry() {
    var config = StepRegistryConfig.defaults().withMaxMeters(64).withMeterTtl(Duration.ofMillis(TTL_STEPS * STEP));
    return new StepRegistry(new ManualClock(T0, 0), config);
  }

  /** End of step {@code n} after {@link #T0}. */
  static long end(int n) {
    return T0 + n * STEP;
  }

  /** The delta of {@code name}'s {@code statistic} in {@code s}, or {@code missing} when it is not there. */
  static double value(StepSnapshot s, String name, String statistic, double missing) {
    for (int i = 0; i < s.size(); i++) {
      if (s.id(i).name().equals(name) && s.statistic(i).equals(statistic)) {
        return s.delta(i);
      }
    }
    return missing;
  }

  /** The delta of {@code name}'s {@code statistic} in {@code s}, 0 when it is not there. */
  static double value(StepSnapshot s, String name, String statistic) {
    return value(s, name, statistic, 0.0);
  }

  /** Count of the timer or distribution summary {@code name} in {@code s}. */
  static long count(StepSnapshot s, String name) {
    return (long) value(s, name, "count");
  }

  /** Total of the timer (in nanoseconds) or distribution summary {@code name} in {@code s}. */
  static long total(StepSnapshot s, String name) {
    double seconds = value(s, name, "totalTime", Double.NaN);
    return Double.isNaN(seconds) ? (long) value(s, name, "totalAmount") : Math.round(seconds * 1e9);
  }

  /** Max of the timer (in nanoseconds) or distribution summary {@code name} in {@code s}. */
  static long max(StepSnapshot s, String name) {
    boolean timer = !Double.isNaN(value(s, name, "totalTime", Double.NaN));
    double max = value(s, name, "max");
    return timer ? Math.round(max * 1e9) : (long) max;
  }
}
