package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Gauge;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Meter;

/**
 * Gauge that reports the last value set, with {@code statistic=gauge} unless the id carries one.
 *
 * <p>It is reported every step until {@code meter-ttl} after its last {@link #set}, so that values
 * set rarely still draw an unbroken line; {@code set(NaN)} stops it at once, and a gauge never set
 * is not reported.
 */
final class StepGauge extends StepMeter implements Gauge {

  private final String statistic;
  private volatile double value = Double.NaN;
  private volatile boolean updated;

  StepGauge(Id id, StepRegistry owner) {
    super(id, owner);
    this.statistic = statisticOf(id, AtlasNames.GAUGE);
  }

  @Override public void set(double v) {
    value = v;
    updated = true;
  }

  @Override public double value() {
    return value;
  }

  @Override boolean rollover(StepSnapshot.Builder out) {
    boolean active = updated;
    if (active) {
      updated = false;
    }
    out.add(id, statistic, MeterType.GAUGE, false, value);
    return active;
  }

  @Override void peek(StepSnapshot.Builder out) {
    out.add(id, statistic, MeterType.GAUGE, false, value);
  }

  @Override void lastStep(StepSnapshot.Builder out) {
    out.add(id, statistic, MeterType.GAUGE, false, value);
  }

  @Override boolean drainInto(StepMeter target) {
    if (updated) {
      ((StepGauge) target).set(value);
      return true;
    }
    return false;
  }

  @Override boolean hasPending() {
    return updated;
  }

  @Override Meter lookupLive() {
    return owner.gauge(id);
  }
}
