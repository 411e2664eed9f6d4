package io.github.spectatorboot.benchmarks;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.CountingMode;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer's {@link SimpleMeterRegistry} in {@link CountingMode#STEP}. Its poll is what a push
 * registry's publish does: every meter's {@code measure()}, each value read. Like
 * {@code AtlasRegistry}, its step meters roll over on the first update after a boundary.
 */
final class MicrometerContender extends Contender {

  private final MockClock manualClock;
  private final SimpleMeterRegistry registry;

  private Counter counter;
  private Timer timer;
  private DistributionSummary summary;
  private Counter[] counters = new Counter[0];
  private Timer[] timers = new Timer[0];

  MicrometerContender(boolean manualClock) {
    if (manualClock) {
      this.manualClock = new MockClock();
      this.manualClock.add(START_MILLIS - this.manualClock.wallTime(), TimeUnit.MILLISECONDS);
    } else {
      this.manualClock = null;
    }
    SimpleConfig config = new SimpleConfig() {
      @Override public String get(String key) {
        return null;
      }

      @Override public CountingMode mode() {
        return CountingMode.STEP;
      }

      @Override public Duration step() {
        return STEP_SIZE;
      }
    };
    this.registry = new SimpleMeterRegistry(config, manualClock ? this.manualClock : Clock.SYSTEM);
  }

  @Override Object registry() {
    return registry;
  }

  @Override void holdMeters() {
    counter = registry.counter(COUNTER_NAME);
    timer = registry.timer(TIMER_NAME);
    summary = registry.summary(SUMMARY_NAME);
  }

  @Override void incrementHeldCounter() {
    counter.increment();
  }

  @Override void recordHeldTimer(long nanos) {
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override void recordHeldSummary(long amount) {
    summary.record(amount);
  }

  @Override void lookupAndIncrement(String name, String key, String value) {
    registry.counter(name, key, value).increment();
  }

  @Override void createCounters(int n) {
    counters = new Counter[n];
    for (int i = 0; i < n; i++) {
      counters[i] = registry.counter(COUNTER_NAME, ID_TAG, idValue(i));
    }
  }

  @Override void createTimers(int n) {
    timers = new Timer[n];
    for (int i = 0; i < n; i++) {
      timers[i] = registry.timer(TIMER_NAME, ID_TAG, idValue(i));
    }
  }

  @Override void updateMeters() {
    for (Counter c : counters) {
      c.increment();
    }
    for (int i = 0; i < timers.length; i++) {
      timers[i].record(durationNanos(i), TimeUnit.NANOSECONDS);
    }
  }

  @Override void advanceStep() {
    manualClock.add(STEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override void poll(PollSink sink) {
    for (Meter meter : registry.getMeters()) {
      Meter.Id id = meter.getId();
      for (Measurement m : meter.measure()) {
        sink.consume(m.getStatistic());
        sink.accept(id, m.getValue());
      }
    }
  }
}
