package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Id;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * The four statistics shared by timers and distribution summaries: {@code count}, the total,
 * {@code totalOfSquares} (rates) and {@code max} (a gauge of the largest value in the step).
 *
 * <p>A negative or zero value counts in {@code count} but adds nothing to the total, the total of
 * squares or the maximum, as Spectator's {@code AtlasTimer} and {@code AtlasDistributionSummary}
 * do.
 *
 * <p>A record is one compare-and-set and four plain writes on a {@link DistributionCell}: the
 * meter's own cell while one thread records at a time, a per-thread stripe once threads have met on
 * it (as {@code LongAdder} stripes its cells), and, when every cell it tries is claimed, four
 * atomic adds that never wait. The poll claims each cell to read and reset it, so a record lands
 * in exactly one step; only a record that took the atomic path while a poll ran may have its
 * count in one step and its total in the other (either way round), never in both or neither, and
 * the maximum of the step that has its count covers it. The step that has such a total without
 * its count may so report a mean (total / count) above its maximum, or a total with a count of 0:
 * a deliberate trade, as making the four adds one step's would make the recorder wait for the
 * poll, and the race needs the poll and the record within a few nanoseconds of each other. The
 * recording path allocates only when the stripes grow, at most log2 of the stripe limit times in
 * a meter's life.
 *
 * <p>The total is a double, as in Spectator's {@code AtlasTimer}: totals of values near
 * {@code Long.MAX_VALUE} come out right (to a double's precision), never wrapped to a negative.
 */
abstract class StepDistribution extends StepMeter {

  private static final VarHandle STRIPES;
  private static final VarHandle OVERFLOW_COUNT;
  private static final VarHandle OVERFLOW_TOTAL;
  private static final VarHandle OVERFLOW_TOTAL_OF_SQUARES;
  private static final VarHandle OVERFLOW_MAX;

  /** Most stripes a meter grows to: one per core, rounded up to a power of two. */
  private static final int MAX_STRIPES = Math.max(2, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 2 - 1));

  static {
    try {
      var lookup = MethodHandles.lookup();
      STRIPES = lookup.findVarHandle(StepDistribution.class, "stripes", DistributionCell[].class);
      OVERFLOW_COUNT = lookup.findVarHandle(StepDistribution.class, "overflowCount", long.class);
      OVERFLOW_TOTAL = lookup.findVarHandle(StepDistribution.class, "overflowTotal", double.class);
      OVERFLOW_TOTAL_OF_SQUARES = lookup.findVarHandle(StepDistribution.class, "overflowTotalOfSquares", double.class);
      OVERFLOW_MAX = lookup.findVarHandle(StepDistribution.class, "overflowMax", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Where an uncontended meter records; the poll folds everything else into it. */
  private final DistributionCell base = new DistributionCell();

  /** Created the first time two recording threads meet on {@link #base}; grows to {@link #MAX_STRIPES}. */
  private volatile DistributionCell[] stripes;

  // Updated with one atomic each by a recorder that found its cells claimed (by a poll, or by
  // other threads on every stripe): rare, never waits, and may split one record across two steps.
  @SuppressWarnings("unused") private volatile long overflowCount;
  @SuppressWarnings("unused") private volatile double overflowTotal;
  @SuppressWarnings("unused") private volatile double overflowTotalOfSquares;
  @SuppressWarnings("unused") private volatile long overflowMax;

  private final MeterType type;
  private final String totalStatistic;
  private final double scale;
  private final double scaleSquared;

  private volatile long lastCount;
  private volatile double lastTotal;
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
    if (value > 0) {
      recordValues(1, value, (double) value * value, value);
    } else {
      recordValues(1, 0, 0.0, 0);
    }
  }

  /**
   * Records the first {@code n} of {@code amounts} as one update of each accumulator.
   *
   * @param unit the unit of the amounts, converted to nanoseconds; {@code null} to keep them as they are
   */
  final void recordAll(long[] amounts, int n, TimeUnit unit) {
    int limit = Math.min(Math.max(0, n), amounts.length);
    double sum = 0.0;
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

  /**
   * Adds {@code n} values summing to {@code sum}: into {@link #base} while one thread records at a
   * time, else into the calling thread's stripe, else (all claimed) through the overflow atomics.
   */
  final void recordValues(long n, double sum, double sumOfSquares, long maxValue) {
    if (n > 0) {
      add(n, sum, sumOfSquares, maxValue);
    }
  }

  /** Adds to the accumulators as they are, including a count of 0 (a drained record split across steps). */
  private void add(long n, double sum, double sumOfSquares, long maxValue) {
    DistributionCell[] s = stripes;
    if (s == null) {
      if (base.tryRecord(n, sum, sumOfSquares, maxValue)) {
        return;
      }
      if (base.heldByPoll()) {
        recordOverflow(n, sum, sumOfSquares, maxValue);
        return;
      }
      s = grow(null);
    }
    recordStriped(s, n, sum, sumOfSquares, maxValue);
  }

  private void recordStriped(DistributionCell[] s, long n, double sum, double sumOfSquares, long maxValue) {
    // thread ids are handed out in sequence, so consecutive threads get consecutive stripes
    int home = (int) Thread.currentThread().getId();
    while (true) {
      int mask = s.length - 1;
      if (s[home & mask].tryRecord(n, sum, sumOfSquares, maxValue)
          || s[(home + 1) & mask].tryRecord(n, sum, sumOfSquares, maxValue)) {
        return;
      }
      if (s.length >= MAX_STRIPES) {
        recordOverflow(n, sum, sumOfSquares, maxValue);
        return;
      }
      s = grow(s);
    }
  }

  /** Replaces {@code current} by an array twice its size (2 at first) that keeps its cells; returns the array now in place. */
  private DistributionCell[] grow(DistributionCell[] current) {
    int size = current == null ? 2 : current.length * 2;
    var bigger = new DistributionCell[size];
    int kept = current == null ? 0 : current.length;
    if (kept > 0) {
      System.arraycopy(current, 0, bigger, 0, kept);
    }
    for (int i = kept; i < size; i++) {
      bigger[i] = new DistributionCell.Padded();
    }
    var witness = (DistributionCell[]) STRIPES.compareAndExchange(this, current, bigger);
    return witness == current ? bigger : witness;
  }

  /**
   * Adds through the overflow atomics. The maximum goes in before and after the count: whichever
   * step a poll running meanwhile puts the count in, that step's maximum covers the value (see
   * {@link #takeStep()}).
   */
  private void recordOverflow(long n, double sum, double sumOfSquares, long maxValue) {
    raiseOverflowMax(maxValue);
    OVERFLOW_COUNT.getAndAdd(this, n);
    if (sum != 0.0) {
      OVERFLOW_TOTAL.getAndAdd(this, sum);
      OVERFLOW_TOTAL_OF_SQUARES.getAndAdd(this, sumOfSquares);
    }
    raiseOverflowMax(maxValue);
  }

  private void raiseOverflowMax(long value) {
    long current = (long) OVERFLOW_MAX.getVolatile(this);
    while (value > current) {
      long witness = (long) OVERFLOW_MAX.compareAndExchange(this, current, value);
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  /**
   * Moves everything recorded so far, from every cell and the overflow, into the last-step fields
   * and leaves all accumulators at zero. {@link #base} stays claimed while the stripes are folded
   * into it, so a recorder meanwhile goes to a stripe or the overflow and lands in the next step.
   *
   * <p>The overflow maximum is taken (and reset) before the overflow count and read again after
   * it without a reset. An overflow record whose count lands in this step raised the maximum
   * before that, so one of the two reads sees it; one whose count lands in the next step raises it
   * again after this reset. A value may so raise the maximum of both steps, never of neither.
   */
  private void takeStep() {
    base.claimForPoll();
    DistributionCell[] s = stripes;
    if (s != null) {
      for (DistributionCell cell : s) {
        cell.claimForPoll();
        cell.moveTo(base);
        cell.release();
      }
    }
    long maxBefore = (long) OVERFLOW_MAX.getAndSet(this, 0L);
    lastCount = base.count + (long) OVERFLOW_COUNT.getAndSet(this, 0L);
    lastTotal = base.total + (double) OVERFLOW_TOTAL.getAndSet(this, 0.0);
    lastTotalOfSquares = base.totalOfSquares + (double) OVERFLOW_TOTAL_OF_SQUARES.getAndSet(this, 0.0);
    long maxAfter = (long) OVERFLOW_MAX.getVolatile(this);
    long live = Math.max(base.max, Math.max(maxBefore, maxAfter));
    base.reset();
    base.release();
    SubStep sub = subStep;
    if (sub != null) {
      // the sub-steps swapped part of this step's maximum out: the maximum of maxima is exact
      lastMax = Math.max(live, sub.stepMax);
      sub.stepMax = 0;
      sub.carryMax = Math.max(sub.carryMax, live);
      sub.count -= lastCount;
      sub.total -= lastTotal;
      sub.totalOfSquares -= lastTotalOfSquares;
      if (!owner.subStepsOn()) {
        subStep = null;
      }
    } else {
      lastMax = live;
      if (owner.subStepsOn()) {
        // made since the last sub-step: the next one reports what this step took, too
        sub = subStepState();
        sub.carryMax = live;
        sub.count = -lastCount;
        sub.total = -lastTotal;
        sub.totalOfSquares = -lastTotalOfSquares;
      }
    }
  }

  /** The cell an uncontended meter records into; for tests that hold it to force the other paths. */
  final DistributionCell baseCell() {
    return base;
  }

  /** The stripes, {@code null} until two recording threads have met on this meter. */
  final DistributionCell[] stripes() {
    return stripes;
  }

  /** Count of the last completed step. */
  final long lastCount() {
    return lastCount;
  }

  /**
   * Total of the last completed step, in the recorded unit; {@code Long.MAX_VALUE} when it is
   * larger, as Spectator's {@code AtlasTimer.totalTime()} gives.
   */
  final long lastTotal() {
    return (long) lastTotal;
  }

  @Override final boolean rollover(StepSnapshot.Builder out) {
    takeStep();
    lastStep(out);
    return lastCount != 0;
  }

  @Override final void peek(StepSnapshot.Builder out) {
    Reading r = read(false);
    SubStep sub = subStep;
    write(out, r.count, r.total, r.totalOfSquares, sub == null ? r.max : Math.max(r.max, sub.stepMax));
  }

  /** The sums and maximum recorded so far in the step, each cell claimed to be read. */
  private record Reading(long count, double total, double totalOfSquares, long max) {}

  /**
   * Reads every cell and the overflow; with {@code takeMax}, also resets their maxima. The
   * overflow maximum is read before and after the overflow count, as {@link #takeStep()} does, so
   * that a reading that has an overflow record's count has its maximum too.
   */
  private Reading read(boolean takeMax) {
    long m = takeMax ? (long) OVERFLOW_MAX.getAndSet(this, 0L) : (long) OVERFLOW_MAX.getVolatile(this);
    long c = (long) OVERFLOW_COUNT.getVolatile(this);
    double t = (double) OVERFLOW_TOTAL.getVolatile(this);
    double sq = (double) OVERFLOW_TOTAL_OF_SQUARES.getVolatile(this);
    m = Math.max(m, (long) OVERFLOW_MAX.getVolatile(this));
    DistributionCell[] s = stripes;
    int cells = s == null ? 1 : s.length + 1;
    for (int i = 0; i < cells; i++) {
      DistributionCell cell = i == 0 ? base : s[i - 1];
      cell.claimForPoll();
      c += cell.count;
      t += cell.total;
      sq += cell.totalOfSquares;
      m = Math.max(m, cell.max);
      if (takeMax) {
        cell.max = 0;
      }
      cell.release();
    }
    return new Reading(c, t, sq, m);
  }

  /**
   * Reads the sums as {@link #peek} does and swaps the maximum out of every cell and the overflow
   * into {@link SubStep#stepMax}, where the next {@link #rollover} finds it.
   */
  @Override final void subStep(StepSnapshot.Builder out, boolean emit) {
    Reading r = read(true);
    long m = r.max;
    long c = r.count;
    double t = r.total;
    double sq = r.totalOfSquares;
    SubStep sub = subStepState();
    sub.stepMax = Math.max(sub.stepMax, m);
    long intervalMax = Math.max(sub.carryMax, m);
    sub.carryMax = 0;
    long dc = c - sub.count;
    double dt = t - sub.total;
    double dsq = sq - sub.totalOfSquares;
    sub.count = c;
    sub.total = t;
    sub.totalOfSquares = sq;
    if (emit) {
      out.add(sub.id(0, id, AtlasNames.COUNT, true), AtlasNames.COUNT, type, true, dc);
      out.add(sub.id(1, id, totalStatistic, true), totalStatistic, type, true, dt * scale);
      out.add(sub.id(2, id, AtlasNames.TOTAL_OF_SQUARES, true), AtlasNames.TOTAL_OF_SQUARES, type, true, dsq * scaleSquared);
      out.add(sub.id(3, id, AtlasNames.MAX, false), AtlasNames.MAX, type, false, intervalMax * scale);
    }
  }

  @Override final void lastStep(StepSnapshot.Builder out) {
    write(out, lastCount, lastTotal, lastTotalOfSquares, lastMax);
  }

  private void write(StepSnapshot.Builder out, long c, double t, double sq, long m) {
    out.add(id, AtlasNames.COUNT, type, true, c);
    out.add(id, totalStatistic, type, true, t * scale);
    out.add(id, AtlasNames.TOTAL_OF_SQUARES, type, true, sq * scaleSquared);
    out.add(id, AtlasNames.MAX, type, false, m * scale);
  }

  /**
   * Whether anything was recorded since the last roll-over, a count or (split across steps by the
   * overflow path) only a total or maximum; each cell is claimed to be read, so nothing a recorder
   * released before is missed.
   */
  @Override final boolean hasPending() {
    if ((long) OVERFLOW_COUNT.getVolatile(this) != 0 || (double) OVERFLOW_TOTAL.getVolatile(this) != 0.0
        || (long) OVERFLOW_MAX.getVolatile(this) != 0) {
      return true;
    }
    DistributionCell[] s = stripes;
    int cells = s == null ? 1 : s.length + 1;
    for (int i = 0; i < cells; i++) {
      DistributionCell cell = i == 0 ? base : s[i - 1];
      cell.claimForPoll();
      boolean pending = cell.count != 0 || cell.total != 0.0 || cell.max != 0;
      cell.release();
      if (pending) {
        return true;
      }
    }
    return false;
  }

  /** Rolls this removed meter over into {@code target}; its own last-step values no longer matter. */
  @Override final boolean drainInto(StepMeter target) {
    takeStep();
    if (lastCount == 0 && lastTotal == 0.0 && lastMax == 0) {
      return false;
    }
    ((StepDistribution) target).add(lastCount, lastTotal, lastTotalOfSquares, lastMax);
    return true;
  }
}
