package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Gauge;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Meter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Gauge that reports the largest value set within each step, with {@code statistic=max} unless the
 * id carries one; a step without updates reports nothing. NaN and infinities are ignored, as by
 * Spectator's {@code AtlasMaxGauge}: an infinity would hide every finite value of its step.
 * {@link #value()} is the last completed step.
 */
final class StepMaxGauge extends StepMeter implements Gauge {

  private static final long NONE = Double.doubleToRawLongBits(Double.NaN);
  private static final VarHandle BITS;

  static {
    try {
      BITS = MethodHandles.lookup().findVarHandle(StepMaxGauge.class, "bits", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String statistic;
  @SuppressWarnings("unused") // updated through BITS
  private volatile long bits = NONE;
  private volatile double lastMax = Double.NaN;

  StepMaxGauge(Id id, StepRegistry owner) {
    super(id, owner);
    this.statistic = statisticOf(id, AtlasNames.MAX);
  }

  @Override public void set(double v) {
    if (!Double.isFinite(v)) {
      return;
    }
    long current = bits;
    while (current == NONE || v > Double.longBitsToDouble(current)) {
      long witness = (long) BITS.compareAndExchange(this, current, Double.doubleToRawLongBits(v));
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  @Override public double value() {
    return lastMax;
  }

  @Override boolean rollover(StepSnapshot.Builder out) {
    double v = Double.longBitsToDouble((long) BITS.getAndSet(this, NONE));
    lastMax = v;
    out.add(id, statistic, MeterType.MAX_GAUGE, false, v);
    return !Double.isNaN(v);
  }

  @Override void peek(StepSnapshot.Builder out) {
    out.add(id, statistic, MeterType.MAX_GAUGE, false, Double.longBitsToDouble(bits));
  }

  @Override void lastStep(StepSnapshot.Builder out) {
    out.add(id, statistic, MeterType.MAX_GAUGE, false, lastMax);
  }

  @Override boolean drainInto(StepMeter target) {
    double v = Double.longBitsToDouble((long) BITS.getAndSet(this, NONE));
    if (Double.isNaN(v)) {
      return false;
    }
    ((StepMaxGauge) target).set(v);
    return true;
  }

  @Override boolean hasPending() {
    return bits != NONE;
  }

  @Override Meter lookupLive() {
    return owner.maxGauge(id);
  }
}
