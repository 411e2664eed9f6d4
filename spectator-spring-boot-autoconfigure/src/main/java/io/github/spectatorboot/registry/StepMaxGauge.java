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
    double live = Double.longBitsToDouble((long) BITS.getAndSet(this, NONE));
    double v = live;
    SubStep sub = subStep;
    if (sub != null) {
      v = fold(sub.stepMaxValue, live);
      sub.stepMaxValue = Double.NaN;
      sub.carryMaxValue = fold(sub.carryMaxValue, live);
      if (!owner.subStepsOn()) {
        subStep = null;
      }
    } else if (owner.subStepsOn()) {
      subStepState().carryMaxValue = live;
    }
    lastMax = v;
    out.add(id, statistic, MeterType.MAX_GAUGE, false, v);
    return !Double.isNaN(v);
  }

  @Override void peek(StepSnapshot.Builder out) {
    SubStep sub = subStep;
    double live = Double.longBitsToDouble(bits);
    out.add(id, statistic, MeterType.MAX_GAUGE, false, sub == null ? live : fold(sub.stepMaxValue, live));
  }

  @Override void subStep(StepSnapshot.Builder out, boolean emit) {
    double live = Double.longBitsToDouble((long) BITS.getAndSet(this, NONE));
    SubStep sub = subStepState();
    sub.stepMaxValue = fold(sub.stepMaxValue, live);
    double v = fold(sub.carryMaxValue, live);
    sub.carryMaxValue = Double.NaN;
    if (emit) {
      out.add(sub.id(0, id, statistic, false), statistic, MeterType.MAX_GAUGE, false, v);
    }
  }

  /**
   * The maximum of an earlier value and a later one as {@link #set} would have left it had both
   * been set in turn: the later replaces the earlier only when greater, so the fold of the
   * sub-steps' maxima equals, to the bit (0.0 against -0.0 included), the maximum of the whole step.
   */
  private static double fold(double earlier, double later) {
    if (Double.isNaN(earlier)) {
      return later;
    }
    return later > earlier ? later : earlier;
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
