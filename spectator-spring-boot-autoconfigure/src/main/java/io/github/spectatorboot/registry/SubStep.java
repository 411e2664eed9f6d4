package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Id;

/**
 * What a meter keeps between sub-steps (the LWC step, shorter than the publish step) while
 * {@link StepRegistry#pollSubStep} is in use; written only under the registry's poll lock.
 *
 * <p>Sums are never reset by a sub-step: a sub-step reads the values accumulated so far in the
 * publish step and reports the difference from the previous read ({@link #count}, {@link #total},
 * {@link #totalOfSquares} are those reads). A publish roll-over subtracts what it took, so the
 * next difference still covers exactly the time since the previous sub-step. Maxima cannot be
 * differenced: a sub-step swaps the live maximum out and folds it into {@link #stepMax}, which the
 * roll-over folds back in; the maximum of maxima is exact, so the published maximum does not move.
 */
final class SubStep {

  /** Ids with {@code statistic} and {@code atlas.dstype}, in the order the meter reports them; made once. */
  Id[] ids;

  // in-progress sums at the previous sub-step, in the recorded unit, minus what roll-overs took since
  long count;
  double total;
  double totalOfSquares;

  /** Largest value swapped out by sub-steps within the publish step in progress (distributions). */
  long stepMax;
  /** Largest value a roll-over took since the previous sub-step, owed to the next sub-step (distributions). */
  long carryMax;

  /** As {@link #stepMax}, for max gauges; NaN for none. */
  double stepMaxValue = Double.NaN;
  /** As {@link #carryMax}, for max gauges; NaN for none. */
  double carryMaxValue = Double.NaN;

  /** The id of the {@code i}-th value of a meter, tagged for matching, made on first use. */
  Id id(int i, Id meterId, String statistic, boolean rate) {
    if (ids == null) {
      ids = new Id[4];
    }
    Id tagged = ids[i];
    if (tagged == null) {
      tagged = meterId.withTags(AtlasNames.STATISTIC, statistic,
          AtlasNames.DS_TYPE, rate ? AtlasNames.DS_TYPE_RATE : AtlasNames.DS_TYPE_GAUGE);
      ids[i] = tagged;
    }
    return tagged;
  }
}
