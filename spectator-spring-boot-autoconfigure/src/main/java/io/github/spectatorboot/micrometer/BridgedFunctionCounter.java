package io.github.spectatorboot.micrometer;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.FunctionCounter;

/**
 * Micrometer function counter whose running total Spectator polls into a counter (the increase,
 * as a rate per second); {@link #count()} is the increase over the last completed step.
 */
final class BridgedFunctionCounter extends AbstractMeter implements FunctionCounter {

  private final com.netflix.spectator.api.Counter counter;

  BridgedFunctionCounter(Id id, com.netflix.spectator.api.Counter counter) {
    super(id);
    this.counter = counter;
  }

  @Override public double count() {
    return counter.actualCount();
  }
}
