package io.github.spectatorboot.micrometer;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Counter;

/**
 * Micrometer counter that adds to a Spectator counter, published as a rate per second;
 * {@link #count()} is the last completed step, as Micrometer's step counters report it.
 */
final class BridgedCounter extends AbstractMeter implements Counter {

  private final com.netflix.spectator.api.Counter counter;

  BridgedCounter(Id id, com.netflix.spectator.api.Counter counter) {
    super(id);
    this.counter = counter;
  }

  @Override public void increment(double amount) {
    counter.add(amount);
  }

  @Override public double count() {
    return counter.actualCount();
  }
}
