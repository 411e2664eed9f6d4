package io.github.spectatorboot.micrometer;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.impl.SwapMeter;
import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Counter;

/**
 * Micrometer counter that adds to a Spectator counter, published as a rate per second;
 * {@link #count()} is the last completed step, as Micrometer's step counters report it.
 *
 * <p>It holds the registry's own counter rather than the {@code SwapCounter} the registry hands
 * out, and does what that wrapper does: once the counter has expired (the registry dropped it after
 * a time without activity), it asks the registry for the live one. Spectator's registries version
 * their swaps with a constant, so the wrapper's check is the meter's {@code hasExpired()} alone; an
 * increment saves the wrapper's two calls.
 */
final class BridgedCounter extends AbstractMeter implements Counter {

  private final Registry registry;
  private final com.netflix.spectator.api.Id spectatorId;
  /** Plain field: a thread that reads a replaced counter finds it expired and looks up again. */
  private com.netflix.spectator.api.Counter counter;

  BridgedCounter(Id id, Registry registry, com.netflix.spectator.api.Id spectatorId) {
    super(id);
    this.registry = registry;
    this.spectatorId = spectatorId;
    this.counter = lookup();
  }

  @Override public void increment(double amount) {
    com.netflix.spectator.api.Counter c = counter;
    if (c.hasExpired()) {
      c = lookup();
    }
    c.add(amount);
  }

  @Override public double count() {
    com.netflix.spectator.api.Counter c = counter;
    return c.hasExpired() ? lookup().actualCount() : c.actualCount();
  }

  private com.netflix.spectator.api.Counter lookup() {
    com.netflix.spectator.api.Counter c = registry.counter(spectatorId);
    if (c instanceof SwapMeter<?> swap && swap.get() instanceof com.netflix.spectator.api.Counter live) {
      c = live;
    }
    counter = c;
    return c;
  }
}
