package io.github.spectatorboot.registry;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.Timer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.DD_Result;
import org.openjdk.jcstress.infra.results.DZ_Result;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

/**
 * Batch updaters: a flush races the poll that ends its step, and the poll that expires and
 * removes the meter the updater was made from. A flush is one update of the live meter.
 */
public final class BatchUpdaterStress {

  private BatchUpdaterStress() {}

  /** A counter batch of 1 + 2, flushed by its size, against the poll: 3 in one step. */
  @JCStressTest
  @Outcome(id = "3.0, 0.0", expect = ACCEPTABLE, desc = "in the step being polled")
  @Outcome(id = "0.0, 3.0", expect = ACCEPTABLE, desc = "in the next step")
  @Outcome(expect = FORBIDDEN, desc = "lost, split or counted twice")
  @State
  public static class CounterFlushVsPoll {
    private final StepRegistry registry = Steps.registry();
    private final Counter.BatchUpdater batch = registry.counter("c").batchUpdater(2);

    @Actor public void record() {
      batch.add(1);
      batch.add(2);
    }

    @Actor public void poll(DD_Result r) {
      r.r1 = Steps.value(registry.poll(Steps.end(1)), "c", "count");
    }

    @Arbiter public void next(DD_Result r) {
      r.r2 = Steps.value(registry.poll(Steps.end(2)), "c", "count");
    }
  }

  /** A timer batch of 2 ns + 3 ns against the poll: count and total (ns) of each step. */
  @JCStressTest
  @Outcome(id = "2, 5, 0, 0", expect = ACCEPTABLE, desc = "in the step being polled")
  @Outcome(id = "0, 0, 2, 5", expect = ACCEPTABLE, desc = "in the next step")
  @Outcome(id = "2, 0, 0, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: count polled, total in the next step")
  @Outcome(id = "0, 5, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "overflow: total polled, count in the next step")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice")
  @State
  public static class TimerFlushVsPoll {
    private final StepRegistry registry = Steps.registry();
    private final Timer.BatchUpdater batch = registry.timer("t").batchUpdater(2);

    @Actor public void record() {
      batch.record(2, TimeUnit.NANOSECONDS);
      batch.record(3, TimeUnit.NANOSECONDS);
    }

    @Actor public void poll(JJJJ_Result r) {
      StepSnapshot s = registry.poll(Steps.end(1));
      r.r1 = Steps.count(s, "t");
      r.r2 = Steps.total(s, "t");
    }

    @Arbiter public void next(JJJJ_Result r) {
      StepSnapshot s = registry.poll(Steps.end(2));
      r.r3 = Steps.count(s, "t");
      r.r4 = Steps.total(s, "t");
    }
  }

  /**
   * The counter the updater was made from had its last activity in step 1; the poll that expires
   * and removes it races the updater's flush of 2. The arbiter polls four more steps, past the
   * polls that drain removed meters: the flush is counted once in all, and the flag says whether
   * the race's poll removed the meter.
   */
  @JCStressTest
  @Outcome(id = "2.0, false", expect = ACCEPTABLE, desc = "flushed before the poll saw the counter idle")
  @Outcome(id = "2.0, true", expect = ACCEPTABLE_INTERESTING, desc = "the counter was removed; the flush still counted once")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice")
  @State
  public static class CounterFlushVsExpiry {
    private final StepRegistry registry = Steps.registry();
    private final Counter counter = registry.counter("c");
    private final StepMeter meter;
    private final Counter.BatchUpdater batch;

    public CounterFlushVsExpiry() {
      counter.increment();
      for (int n = 1; n < ExpiryStress.RACE; n++) {
        registry.poll(Steps.end(n));
      }
      meter = (StepMeter) registry.get(registry.createId("c"));
      batch = counter.batchUpdater(100);
      batch.add(2);
    }

    @Actor public void flush() {
      batch.flush();
    }

    @Actor public void poll(DZ_Result r) {
      r.r1 = Steps.value(registry.poll(Steps.end(ExpiryStress.RACE)), "c", "count");
      r.r2 = meter.hasExpired();
    }

    @Arbiter public void after(DZ_Result r) {
      for (int n = ExpiryStress.RACE + 1; n <= ExpiryStress.RACE + 4; n++) {
        r.r1 += Steps.value(registry.poll(Steps.end(n)), "c", "count");
      }
    }
  }

  /** The same for a distribution summary batch of 2 + 3: the total over all steps is 5, counted 2. */
  @JCStressTest
  @Outcome(id = "5.0, false", expect = ACCEPTABLE, desc = "flushed before the poll saw the summary idle")
  @Outcome(id = "5.0, true", expect = ACCEPTABLE_INTERESTING, desc = "the summary was removed; the flush still counted once")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice")
  @State
  public static class SummaryFlushVsExpiry {
    private final StepRegistry registry = Steps.registry();
    private final DistributionSummary summary = registry.distributionSummary("d");
    private final StepMeter meter;
    private final DistributionSummary.BatchUpdater batch;
    private double count;

    public SummaryFlushVsExpiry() {
      summary.record(1);
      for (int n = 1; n < ExpiryStress.RACE; n++) {
        registry.poll(Steps.end(n));
      }
      meter = (StepMeter) registry.get(registry.createId("d"));
      batch = summary.batchUpdater(100);
      batch.record(2);
      batch.record(3);
    }

    @Actor public void flush() {
      batch.flush();
    }

    @Actor public void poll(DZ_Result r) {
      StepSnapshot s = registry.poll(Steps.end(ExpiryStress.RACE));
      r.r1 = Steps.value(s, "d", "totalAmount");
      count = Steps.value(s, "d", "count");
      r.r2 = meter.hasExpired();
    }

    @Arbiter public void after(DZ_Result r) {
      for (int n = ExpiryStress.RACE + 1; n <= ExpiryStress.RACE + 4; n++) {
        StepSnapshot s = registry.poll(Steps.end(n));
        r.r1 += Steps.value(s, "d", "totalAmount");
        count += Steps.value(s, "d", "count");
      }
      if (count != 2) {
        r.r1 = -count; // a count lost or doubled shows as a negative, forbidden outcome
      }
    }
  }
}
