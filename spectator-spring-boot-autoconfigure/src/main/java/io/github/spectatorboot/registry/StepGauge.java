package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Gauge;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Meter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Gauge that reports the last value set, with {@code statistic=gauge} unless the id carries one.
 *
 * <p>It is reported every step until {@code meter-ttl} after its last {@link #set}, so that values
 * set rarely still draw an unbroken line; {@code set(NaN)} stops it at once, and a gauge never set
 * is not reported. Infinite values are not reported either, as by Spectator's {@code AtlasGauge}.
 *
 * <p>A value set into this gauge by a thread that raced its removal is handed to the live gauge of
 * the id only if nothing has been set there yet: a value set on the live gauge was set after the
 * removal, while the one set here was set by a call that began before it, so the live value is
 * never the older of the two and a superseded value never overwrites a newer one.
 */
final class StepGauge extends StepMeter implements Gauge {

  /** Bits of a gauge never set: a NaN that {@link #set} never stores, as it stores NaN in canonical form. */
  private static final long UNSET = 0x7ff0_0000_0000_0001L;
  private static final VarHandle BITS;
  private static final VarHandle UPDATED;

  static {
    try {
      var lookup = MethodHandles.lookup();
      BITS = lookup.findVarHandle(StepGauge.class, "bits", long.class);
      UPDATED = lookup.findVarHandle(StepGauge.class, "updated", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String statistic;
  @SuppressWarnings("unused") // compared-and-set through BITS by drainInto
  private volatile long bits = UNSET;
  @SuppressWarnings("unused") // swapped through UPDATED by drainInto
  private volatile boolean updated;

  StepGauge(Id id, StepRegistry owner) {
    super(id, owner);
    this.statistic = statisticOf(id, AtlasNames.GAUGE);
  }

  @Override public void set(double v) {
    bits = Double.doubleToLongBits(v);
    updated = true;
  }

  @Override public double value() {
    return Double.longBitsToDouble(bits);
  }

  @Override boolean rollover(StepSnapshot.Builder out) {
    boolean active = updated;
    if (active) {
      updated = false;
    }
    out.add(id, statistic, MeterType.GAUGE, false, value());
    return active;
  }

  @Override void peek(StepSnapshot.Builder out) {
    out.add(id, statistic, MeterType.GAUGE, false, value());
  }

  @Override void subStep(StepSnapshot.Builder out, boolean emit) {
    if (emit) {
      out.add(subStepState().id(0, id, statistic, false), statistic, MeterType.GAUGE, false, value());
    }
  }

  @Override void lastStep(StepSnapshot.Builder out) {
    out.add(id, statistic, MeterType.GAUGE, false, value());
  }

  /**
   * Hands a value set after the removal to the live gauge, once: the flag is cleared as it is
   * read, so a later poll does not copy the same value again over one set since.
   */
  @Override boolean drainInto(StepMeter target) {
    if (!(boolean) UPDATED.getAndSet(this, false)) {
      return false;
    }
    StepGauge live = (StepGauge) target;
    if (BITS.compareAndSet(live, UNSET, bits)) {
      live.updated = true;
    }
    return true;
  }

  @Override boolean hasPending() {
    return updated;
  }

  @Override Meter lookupLive() {
    return owner.gauge(id);
  }
}
