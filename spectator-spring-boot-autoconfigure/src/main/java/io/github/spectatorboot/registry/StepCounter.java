package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Meter;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Counter that reports the amount added during each step, as a delta and as a rate per second;
 * {@link #actualCount()} is the last completed step.
 *
 * <p>Non-finite and non-positive amounts are ignored, as Spectator's {@code AtlasCounter} does.
 * The statistic is {@code count} unless the id already carries one.
 */
final class StepCounter extends StepMeter implements Counter {

  private final DoubleAdder value = new DoubleAdder();
  private final String statistic;
  private volatile double lastDelta;

  StepCounter(Id id, StepRegistry owner) {
    super(id, owner);
    this.statistic = statisticOf(id, AtlasNames.COUNT);
  }

  @Override public void add(double amount) {
    // NaN fails both comparisons, so this also drops NaN
    if (amount > 0.0 && amount < Double.POSITIVE_INFINITY) {
      value.add(amount);
    }
  }

  /** Batches additions; each flush goes to the counter registered for the id at that time. */
  @Override public BatchUpdater batchUpdater(int batchSize) {
    return new StepCounterBatchUpdater(this, batchSize);
  }

  @Override public double actualCount() {
    return lastDelta;
  }

  @Override boolean rollover(StepSnapshot.Builder out) {
    // sumThenReset swaps each cell atomically: an add lands in exactly one step
    double delta = value.sumThenReset();
    lastDelta = delta;
    SubStep sub = subStep;
    if (sub != null) {
      sub.total -= delta;
      if (!owner.subStepsOn()) {
        subStep = null;
      }
    } else if (owner.subStepsOn()) {
      // made since the last sub-step: the next one reports what this step took, too
      subStepState().total = -delta;
    }
    out.add(id, statistic, MeterType.COUNTER, true, delta);
    return delta != 0.0;
  }

  @Override void peek(StepSnapshot.Builder out) {
    out.add(id, statistic, MeterType.COUNTER, true, value.sum());
  }

  @Override void subStep(StepSnapshot.Builder out, boolean emit) {
    double current = value.sum();
    SubStep sub = subStepState();
    double delta = current - sub.total;
    sub.total = current;
    if (emit) {
      out.add(sub.id(0, id, statistic, true), statistic, MeterType.COUNTER, true, delta);
    }
  }

  @Override void lastStep(StepSnapshot.Builder out) {
    out.add(id, statistic, MeterType.COUNTER, true, lastDelta);
  }

  @Override boolean drainInto(StepMeter target) {
    double delta = value.sumThenReset();
    if (delta != 0.0) {
      ((StepCounter) target).value.add(delta);
      return true;
    }
    return false;
  }

  @Override boolean hasPending() {
    return value.sum() != 0.0;
  }

  @Override Meter lookupLive() {
    return owner.counter(id);
  }
}
