package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Timer;
import java.util.concurrent.TimeUnit;

/** What our registry and {@code AtlasRegistry} share: both are used through Spectator's {@link Registry} API. */
abstract class SpectatorContender extends Contender {

  /** Null on the system clock. */
  final ManualClock manualClock;
  final Registry registry;

  private Counter counter;
  private Timer timer;
  private DistributionSummary summary;
  private Counter[] counters = new Counter[0];
  private Timer[] timers = new Timer[0];

  SpectatorContender(boolean manualClock) {
    this.manualClock = manualClock ? new ManualClock(START_MILLIS, 0L) : null;
    this.registry = newRegistry(manualClock ? this.manualClock : Clock.SYSTEM);
  }

  abstract Registry newRegistry(Clock clock);

  @Override final Object registry() {
    return registry;
  }

  @Override final void holdMeters() {
    counter = registry.counter(COUNTER_NAME);
    timer = registry.timer(TIMER_NAME);
    summary = registry.distributionSummary(SUMMARY_NAME);
  }

  @Override final void incrementHeldCounter() {
    counter.increment();
  }

  @Override final void recordHeldTimer(long nanos) {
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override final void recordHeldSummary(long amount) {
    summary.record(amount);
  }

  @Override final void lookupAndIncrement(String name, String key, String value) {
    registry.counter(name, key, value).increment();
  }

  @Override final void createCounters(int n) {
    counters = new Counter[n];
    for (int i = 0; i < n; i++) {
      counters[i] = registry.counter(COUNTER_NAME, ID_TAG, idValue(i));
    }
  }

  @Override final void createTimers(int n) {
    timers = new Timer[n];
    for (int i = 0; i < n; i++) {
      timers[i] = registry.timer(TIMER_NAME, ID_TAG, idValue(i));
    }
  }

  @Override final void updateMeters() {
    for (Counter c : counters) {
      c.increment();
    }
    for (int i = 0; i < timers.length; i++) {
      timers[i].record(durationNanos(i), TimeUnit.NANOSECONDS);
    }
  }

  @Override final void advanceStep() {
    manualClock.setWallTime(manualClock.wallTime() + STEP_MILLIS);
  }
}
