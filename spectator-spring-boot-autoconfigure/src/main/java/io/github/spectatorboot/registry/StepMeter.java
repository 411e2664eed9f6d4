package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Measurement;
import com.netflix.spectator.api.Meter;
import java.util.ArrayList;
import java.util.List;

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

  private volatile boolean expired;

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

  /** Values of the last completed step, as Spectator measurements stamped with that step's end. */
  @Override public final Iterable<Measurement> measure() {
    StepSnapshot.Builder b = new StepSnapshot.Builder(owner.lastPollTimestamp(), owner.stepMillis(), owner.commonTags(), 4);
    lastStep(b);
    StepSnapshot s = b.build();
    List<Measurement> ms = new ArrayList<>(s.size());
    for (int i = 0; i < s.size(); i++) {
      Id mid = s.id(i).withTag(AtlasNames.STATISTIC, s.statistic(i));
      ms.add(new Measurement(mid, s.timestamp(), s.rate(i)));
    }
    return ms;
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
