package io.github.spectatorboot.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One set of a distribution's four statistics, updated by whoever holds its claim: a recording
 * thread claims it with one compare-and-set, adds with plain writes and frees it with a release
 * store, so a record costs one atomic instruction instead of one per statistic. A writer that finds
 * the cell claimed never waits for it; {@link StepDistribution} sends it elsewhere. The polling
 * thread claims a cell to read and reset it, which is what makes a record land in exactly one step.
 */
class DistributionCell {

  private static final VarHandle CLAIM;

  private static final int FREE = 0;
  private static final int RECORDING = 1;
  private static final int POLLING = 2;

  static {
    try {
      CLAIM = MethodHandles.lookup().findVarHandle(DistributionCell.class, "claim", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through CLAIM
  private volatile int claim;

  // plain fields: written only by the holder of the claim, whose release store publishes them
  long count;
  /** A double, as in {@code AtlasTimer}: a total of values near {@code Long.MAX_VALUE} must not wrap negative. */
  double total;
  double totalOfSquares;
  long max;

  /**
   * Adds one update if the cell is free.
   *
   * @return {@code false}, without waiting or writing anything, when another thread holds the cell
   */
  final boolean tryRecord(long n, double sum, double sumOfSquares, long maxValue) {
    if (!tryClaimForRecording()) {
      return false;
    }
    count += n;
    total += sum;
    totalOfSquares += sumOfSquares;
    if (maxValue > max) {
      max = maxValue;
    }
    CLAIM.setRelease(this, FREE);
    return true;
  }

  /** Takes the cell as a recording thread does, if it is free; {@link #release()} frees it. */
  final boolean tryClaimForRecording() {
    return CLAIM.compareAndSet(this, FREE, RECORDING);
  }

  /** Whether a poll holds the cell, as opposed to another recording thread. */
  final boolean heldByPoll() {
    return (int) CLAIM.getOpaque(this) == POLLING;
  }

  /**
   * Takes the cell for reading, waiting for a recording thread that holds it: that thread is at
   * most a few plain writes from freeing it. Only the polling side waits, never a recorder.
   */
  final void claimForPoll() {
    int spins = 0;
    while (!CLAIM.compareAndSet(this, FREE, POLLING)) {
      if (++spins % 64 == 0) {
        Thread.yield(); // the holder may have been descheduled mid-update
      } else {
        Thread.onSpinWait();
      }
    }
  }

  /** Moves this cell's statistics into {@code into} and zeroes them; both cells are claimed by the caller. */
  final void moveTo(DistributionCell into) {
    into.count += count;
    into.total += total;
    into.totalOfSquares += totalOfSquares;
    if (max > into.max) {
      into.max = max;
    }
    reset();
  }

  final void reset() {
    count = 0;
    total = 0.0;
    totalOfSquares = 0.0;
    max = 0;
  }

  final void release() {
    CLAIM.setRelease(this, FREE);
  }

  /**
   * A cell of the striped array, padded so that stripes updated by different cores do not share a
   * cache line (64 bytes either side of the fields once the array's cells sit next to each other).
   */
  static final class Padded extends DistributionCell {
    @SuppressWarnings("unused") long p0, p1, p2, p3, p4, p5, p6, p7;
  }
}
