package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DefaultRegistry;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.Gauge;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Meter;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Tag;
import com.netflix.spectator.api.Timer;
import java.util.Iterator;
import java.util.concurrent.ConcurrentMap;

/** A registry whose timers and counters cannot be created: every look-up throws. */
final class FailingRegistry implements Registry {

  private final Registry delegate = new DefaultRegistry();

  @Override public Timer timer(Id id) {
    throw new IllegalStateException("timer look-up failed for " + id.name());
  }

  @Override public Counter counter(Id id) {
    throw new IllegalStateException("counter look-up failed for " + id.name());
  }

  @Override public Clock clock() {
    return delegate.clock();
  }

  @Override public Id createId(String name) {
    return delegate.createId(name);
  }

  @Override public Id createId(String name, Iterable<Tag> tags) {
    return delegate.createId(name, tags);
  }

  @Override public void register(Meter meter) {
    delegate.register(meter);
  }

  @Override public ConcurrentMap<Id, Object> state() {
    return delegate.state();
  }

  @Override public DistributionSummary distributionSummary(Id id) {
    return delegate.distributionSummary(id);
  }

  @Override public Gauge gauge(Id id) {
    return delegate.gauge(id);
  }

  @Override public Gauge maxGauge(Id id) {
    return delegate.maxGauge(id);
  }

  @Override public Meter get(Id id) {
    return delegate.get(id);
  }

  @Override public Iterator<Meter> iterator() {
    return delegate.iterator();
  }
}
