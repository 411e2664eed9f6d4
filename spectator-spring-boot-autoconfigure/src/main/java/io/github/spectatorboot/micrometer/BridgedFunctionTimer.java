package io.github.spectatorboot.micrometer;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.util.TimeUtils;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer function timer whose running count and total time Spectator polls into two counters,
 * {@code statistic=count} and {@code statistic=totalTime} (seconds), each reported as a rate per
 * second; {@link #count()} and {@link #totalTime(TimeUnit)} are the increases over the last
 * completed step.
 */
final class BridgedFunctionTimer extends AbstractMeter implements FunctionTimer {

  private final com.netflix.spectator.api.Counter count;
  private final com.netflix.spectator.api.Counter totalTimeSeconds;

  BridgedFunctionTimer(Id id, com.netflix.spectator.api.Counter count, com.netflix.spectator.api.Counter totalTimeSeconds) {
    super(id);
    this.count = count;
    this.totalTimeSeconds = totalTimeSeconds;
  }

  @Override public double count() {
    return count.actualCount();
  }

  @Override public double totalTime(TimeUnit unit) {
    return TimeUtils.secondsToUnit(totalTimeSeconds.actualCount(), unit);
  }

  @Override public TimeUnit baseTimeUnit() {
    return TimeUnit.SECONDS;
  }
}
