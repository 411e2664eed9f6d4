package io.github.spectatorboot.registry;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import com.netflix.spectator.api.DistributionSummary;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Two threads record into one distribution summary, 3 and 5, and the second then polls the step:
 * the recorders meet on the meter's cell (stripes), and the record of 3, racing the poll, may find
 * every cell it tries held by the poll or the other recorder and go through the overflow atomics.
 * (Two actors: the machines this runs on may have two cores.) Outcome, per the two steps:
 * {@code whole} when each step's total is the sum of the values it counts, {@code split} when a
 * record's count is in one step and its total in the other; {@code mean above max} when a step's
 * total exceeds its count times its max. Counts and totals summed over both steps must be exact,
 * and a step that counts a value must have a max that covers it.
 */
@JCStressTest
@Outcome(id = "whole", expect = ACCEPTABLE, desc = "every record whole in one step")
@Outcome(id = "split", expect = ACCEPTABLE_INTERESTING, desc = "an overflow record split across the steps")
@Outcome(id = "split, mean above max", expect = ACCEPTABLE_INTERESTING,
    desc = "an overflow record split across the steps, and a step's mean above its max (documented)")
@Outcome(expect = FORBIDDEN, desc = "a value lost or counted twice, or a max that misses a counted value")
@State
public class OverflowStress {

  private final StepRegistry registry = Steps.registry();
  private final DistributionSummary summary = registry.distributionSummary("d");
  private StepSnapshot polled;

  @Actor public void recordThree() {
    summary.record(3);
  }

  @Actor public void recordFiveThenPoll() {
    summary.record(5);
    polled = registry.poll(Steps.end(1));
  }

  @Arbiter public void next(L_Result r) {
    StepSnapshot next = registry.poll(Steps.end(2));
    long[] counts = {Steps.count(polled, "d"), Steps.count(next, "d")};
    long[] totals = {Steps.total(polled, "d"), Steps.total(next, "d")};
    long[] maxes = {Steps.max(polled, "d"), Steps.max(next, "d")};
    if (counts[0] + counts[1] != 2 || totals[0] + totals[1] != 8) {
      r.r1 = "lost or doubled: counts " + counts[0] + "+" + counts[1] + ", totals " + totals[0] + "+" + totals[1];
      return;
    }
    boolean split = false;
    boolean meanAboveMax = false;
    for (int i = 0; i < 2; i++) {
      if (!consistent(counts[i], totals[i])) {
        split = true;
      }
      if (totals[i] > counts[i] * maxes[i]) {
        meanAboveMax = true;
      }
      // a step that counts both values, or that counts one whole, must have a max covering it
      if ((counts[i] == 2 && maxes[i] < 5) || (counts[i] == 1 && maxes[i] < Math.min(3, totals[i]))) {
        r.r1 = "max misses a counted value: step " + (i + 1) + " count " + counts[i] + " total " + totals[i]
            + " max " + maxes[i];
        return;
      }
    }
    r.r1 = split ? (meanAboveMax ? "split, mean above max" : "split") : (meanAboveMax ? "mean above max" : "whole");
  }

  /** Whether {@code total} is the sum of {@code count} of the values 3 and 5. */
  private static boolean consistent(long count, long total) {
    return switch ((int) count) {
      case 0 -> total == 0;
      case 1 -> total == 3 || total == 5;
      case 2 -> total == 8;
      default -> false;
    };
  }
}
