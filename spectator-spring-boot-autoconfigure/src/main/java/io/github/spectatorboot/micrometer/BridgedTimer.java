package io.github.spectatorboot.micrometer;

import io.micrometer.core.instrument.AbstractTimer;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.util.TimeUtils;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer timer that records into a Spectator timer ({@code count}, {@code totalTime},
 * {@code totalOfSquares} and {@code max}, in seconds), or into a Spectator percentile timer when
 * the timer publishes a percentile histogram; {@link #count()}, {@link #totalTime(TimeUnit)} and
 * {@link #max(TimeUnit)} are the last completed step.
 *
 * <p>Micrometer's own histogram is kept only for client-side percentiles and service level
 * objectives; the percentile histogram is Spectator's, so it is not kept twice.
 */
final class BridgedTimer extends AbstractTimer {

  private final com.netflix.spectator.api.Timer recorder;
  private final com.netflix.spectator.api.Timer timer;

  /**
   * @param recorder where durations go: {@code timer} itself or a percentile timer over it
   * @param timer the plain timer of the same id, read for the last step's values
   */
  BridgedTimer(Id id, Clock clock, DistributionStatisticConfig config, PauseDetector pauseDetector,
      com.netflix.spectator.api.Timer recorder, com.netflix.spectator.api.Timer timer) {
    super(id, clock, config, pauseDetector, TimeUnit.SECONDS, false);
    this.recorder = recorder;
    this.timer = timer;
  }

  @Override protected void recordNonNegative(long amount, TimeUnit unit) {
    recorder.record(amount, unit);
  }

  @Override public long count() {
    return timer.count();
  }

  @Override public double totalTime(TimeUnit unit) {
    // Spectator's timers report their total in nanoseconds
    return TimeUtils.nanosToUnit(timer.totalTime(), unit);
  }

  @Override public double max(TimeUnit unit) {
    return TimeUtils.secondsToUnit(SpectatorStatistics.max(timer), unit);
  }
}
