package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Measurement;
import com.netflix.spectator.api.Meter;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Base of the registry's meters: accumulators that recording threads update without a clock or a
 * lock, and that the polling thread rolls over once per step.
 *
 * <p>Expiry is decided by the poll, not by the recording path: a poll that finds activity in a
 * meter stamps it with the step's end, and a meter whose last stamp is {@code meter-ttl} or more
 * behind the step being polled is removed. The stamp is the end of the step in which the activity
 * was seen, so a meter lives at most one step longer than a clock read on each update would give.
 */
abstract class StepMeter implements Meter {

  /** {@link #lastActivity} before the first poll has seen the meter. */
  static final long NOT_POLLED = Long.MIN_VALUE;

  final Id id;
  final StepRegistry owner;

  /** End of the last step with activity; written and read by the polling thread only. */
  long lastActivity = NOT_POLLED;

  /** Set by the registry's own meters, which never expire. */
  boolean pinned;

  /** Sub-step state; {@code null} while no sub-steps are taken. Guarded by the registry's poll lock. */
  SubStep subStep;

  private volatile boolean expired;

  /** Per thread, the values collected by {@link #measure()}; emptied after each use. */
  private static final ThreadLocal<StepSnapshot.Builder> MEASURE_BUFFER =
      ThreadLocal.withInitial(() -> new StepSnapshot.Builder(0, 1, Map.of(), 4));

  /** Made by the first {@link #measure()}; a race makes it twice, which is harmless. */
  private volatile StatisticIds statisticIds = StatisticIds.NONE;

  StepMeter(Id id, StepRegistry owner) {
    this.id = id;
    this.owner = owner;
  }

  @Override public final Id id() {
    return id;
  }

  @Override public final boolean hasExpired() {
    return expired;
  }

  final void expire() {
    expired = true;
  }

  /**
   * Writes this step's values into {@code out} and resets the accumulators.
   *
   * @return whether the meter was updated during the step
   */
  abstract boolean rollover(StepSnapshot.Builder out);

  /** Writes the values accumulated so far in the current step into {@code out}, resetting nothing. */
  abstract void peek(StepSnapshot.Builder out);

  /**
   * Writes the values since the previous sub-step into {@code out} (when {@code emit}), with the
   * ids of {@link SubStep#id}, and remembers what it read; the publish step's accumulators keep
   * their values, so the next {@link #rollover} reports the same as without sub-steps.
   */
  abstract void subStep(StepSnapshot.Builder out, boolean emit);

  /** The meter's sub-step state, made on first use. */
  final SubStep subStepState() {
    SubStep s = subStep;
    if (s == null) {
      s = new SubStep();
      subStep = s;
    }
    return s;
  }

  /**
   * Moves what was recorded into this meter after it was removed into {@code target}, a live meter
   * of the same class and id, so that a value racing the removal still reaches a step.
   *
   * @return whether anything was moved
   */
  abstract boolean drainInto(StepMeter target);

  /** Whether something was recorded since the last rollover; read after the meter was removed. */
  abstract boolean hasPending();

  /** Asks the registry for the live meter of this meter's id and type, creating it if needed. */
  abstract Meter lookupLive();

  /**
   * Values of the last completed step, as Spectator measurements stamped with that step's end.
   * Allocates only the measurements and their list: the ids with their {@code statistic} tag are
   * made once per meter, and the values are collected in a buffer of the calling thread's.
   */
  @Override public final Iterable<Measurement> measure() {
    StepSnapshot.Builder b = MEASURE_BUFFER.get();
    b.clear();
    lastStep(b);
    int n = b.size();
    if (n == 0) {
      return List.of();
    }
    StatisticIds cached = statisticIds;
    if (!cached.matches(b)) {
      cached = new StatisticIds(b, id);
      statisticIds = cached;
    }
    long timestamp = owner.lastPollTimestamp();
    long stepMillis = owner.stepMillis();
    Measurement[] ms = new Measurement[n];
    for (int i = 0; i < n; i++) {
      double v = b.valueAt(i);
      ms[i] = new Measurement(cached.ids[i], timestamp, b.isRateAt(i) ? v * 1000.0 / stepMillis : v);
    }
    b.clear();
    return n == 1 ? Collections.singletonList(ms[0]) : Arrays.asList(ms);
  }

  /** The meter's id with each statistic it reports, in the order its values come. */
  private static final class StatisticIds {
    static final StatisticIds NONE = new StatisticIds(new String[0], new Id[0]);

    final String[] statistics;
    final Id[] ids;

    private StatisticIds(String[] statistics, Id[] ids) {
      this.statistics = statistics;
      this.ids = ids;
    }

    StatisticIds(StepSnapshot.Builder b, Id id) {
      this(new String[b.size()], new Id[b.size()]);
      for (int i = 0; i < statistics.length; i++) {
        statistics[i] = b.statisticAt(i);
        ids[i] = id.withTag(AtlasNames.STATISTIC, statistics[i]);
      }
    }

    boolean matches(StepSnapshot.Builder b) {
      if (statistics.length != b.size()) {
        return false;
      }
      for (int i = 0; i < statistics.length; i++) {
        String s = b.statisticAt(i);
        if (statistics[i] != s && !statistics[i].equals(s)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Writes the values of the last completed step into {@code out}. */
  abstract void lastStep(StepSnapshot.Builder out);

  /** The statistic already on {@code id}, or {@code dflt} when it has none. */
  static String statisticOf(Id id, String dflt) {
    for (int i = 1; i < id.size(); i++) {
      if (AtlasNames.STATISTIC.equals(id.getKey(i))) {
        return id.getValue(i);
      }
    }
    return dflt;
  }
}
