package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Id;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The four statistics shared by timers and distribution summaries: {@code count}, the total,
 * {@code totalOfSquares} (rates) and {@code max} (a gauge of the largest value in the step).
 *
 * <p>A negative or zero value counts in {@code count} but adds nothing to the total, the total of
 * squares or the maximum, as Spectator's {@code AtlasTimer} and {@code AtlasDistributionSummary}
 * do. Each statistic lands in exactly one step; a record racing a poll may have its count in one
 * step and its total in the next, never in both or neither.
 */
abstract class StepDistribution extends StepMeter {

  private static final VarHandle MAX;

  static {
    try {
      MAX = MethodHandles.lookup().findVarHandle(StepDistribution.class, "max", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LongAdder count = new LongAdder();
  private final LongAdder total = new LongAdder();
  private final DoubleAdder totalOfSquares = new DoubleAdder();
  @SuppressWarnings("unused") // updated through MAX
  private volatile long max;

  private final MeterType type;
  private final String totalStatistic;
  private final double scale;
  private final double scaleSquared;

  private volatile long lastCount;
  private volatile long lastTotal;
  private volatile double lastTotalOfSquares;
  private volatile long lastMax;

  /**
   * @param scale factor from the recorded unit to the reported one: 1e-9 turns a timer's
   *     nanoseconds into seconds
   * @param scaleSquared the same for {@code totalOfSquares}, given as a literal (1e-18, as
   *     Spectator does) because {@code 1e-9 * 1e-9} is not exactly 1e-18
   */
  StepDistribution(Id id, StepRegistry owner, MeterType type, String totalStatistic, double scale,
      double scaleSquared) {
    super(id, owner);
    this.type = type;
    this.totalStatistic = totalStatistic;
    this.scale = scale;
    this.scaleSquared = scaleSquared;
  }

  final void recordValue(long value) {
    count.increment();
    if (value > 0) {
      total.add(value);
      totalOfSquares.add((double) value * value);
      updateMax(value);
    }
  }

  /**
   * Records the first {@code n} of {@code amounts} as one update of each accumulator.
   *
   * @param unit the unit of the amounts, converted to nanoseconds; {@code null} to keep them as they are
   */
  final void recordAll(long[] amounts, int n, TimeUnit unit) {
    int limit = Math.min(Math.max(0, n), amounts.length);
    long sum = 0;
    double sumOfSquares = 0.0;
    long maxValue = 0;
    for (int i = 0; i < limit; i++) {
      if (amounts[i] > 0) {
        long v = unit == null ? amounts[i] : unit.toNanos(amounts[i]);
        sum += v;
        sumOfSquares += (double) v * v;
        maxValue = Math.max(maxValue, v);
      }
    }
    recordValues(limit, sum, sumOfSquares, maxValue);
  }

  final void recordValues(long n, long sum, double sumOfSquares, long maxValue) {
    if (n <= 0) {
      return;
    }
    count.add(n);
    if (sum != 0) {
      total.add(sum);
      totalOfSquares.add(sumOfSquares);
      updateMax(maxValue);
    }
  }

  private void updateMax(long value) {
    long current = max;
    while (value > current) {
      long witness = (long) MAX.compareAndExchange(this, current, value);
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  /** Count of the last completed step. */
  final long lastCount() {
    return lastCount;
  }

  /** Total of the last completed step, in the recorded unit. */
  final long lastTotal() {
    return lastTotal;
  }

  @Override final boolean rollover(StepSnapshot.Builder out) {
    long c = count.sumThenReset();
    long t = total.sumThenReset();
    double sq = totalOfSquares.sumThenReset();
    long m = (long) MAX.getAndSet(this, 0L);
    lastCount = c;
    lastTotal = t;
    lastTotalOfSquares = sq;
    lastMax = m;
    write(out, c, t, sq, m);
    return c != 0;
  }

  @Override final void peek(StepSnapshot.Builder out) {
    write(out, count.sum(), total.sum(), totalOfSquares.sum(), max);
  }

  @Override final void lastStep(StepSnapshot.Builder out) {
    write(out, lastCount, lastTotal, lastTotalOfSquares, lastMax);
  }

  private void write(StepSnapshot.Builder out, long c, long t, double sq, long m) {
    out.add(id, AtlasNames.COUNT, type, true, c);
    out.add(id, totalStatistic, type, true, t * scale);
    out.add(id, AtlasNames.TOTAL_OF_SQUARES, type, true, sq * scaleSquared);
    out.add(id, AtlasNames.MAX, type, false, m * scale);
  }

  @Override final boolean hasPending() {
    return count.sum() != 0;
  }

  @Override final boolean drainInto(StepMeter target) {
    long c = count.sumThenReset();
    long t = total.sumThenReset();
    double sq = totalOfSquares.sumThenReset();
    long m = (long) MAX.getAndSet(this, 0L);
    ((StepDistribution) target).recordValues(c, t, sq, m);
    return c != 0;
  }
}
