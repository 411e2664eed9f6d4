package io.github.spectatorboot.registry;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.Gauge;
import com.netflix.spectator.api.Timer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.DD_Result;
import org.openjdk.jcstress.infra.results.JJJJJJ_Result;

/**
 * One update races the poll that ends its step; the arbiter polls the next step. The update must
 * be in exactly one of the two steps.
 */
public final class RecordVsPollStress {

  private RecordVsPollStress() {}

  /** A counter increment lands in one step. */
  @JCStressTest
  @Outcome(id = "1.0, 0.0", expect = ACCEPTABLE, desc = "in the step being polled")
  @Outcome(id = "0.0, 1.0", expect = ACCEPTABLE, desc = "in the next step")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice")
  @State
  public static class CounterIncrement {
    private final StepRegistry registry = Steps.registry();
    private final Counter counter = registry.counter("c");

    @Actor public void record() {
      counter.increment();
    }

    @Actor public void poll(DD_Result r) {
      r.r1 = Steps.value(registry.poll(Steps.end(1)), "c", "count");
    }

    @Arbiter public void next(DD_Result r) {
      r.r2 = Steps.value(registry.poll(Steps.end(2)), "c", "count");
    }
  }

  /**
   * A timer record of 5 ns: count, total (ns) and max (ns) of the polled step, then of the next.
   * A record that found its cell held by the poll goes through the overflow atomics, which may
   * put its count in one step and its total in the other, and raise the max of both; the step
   * with the count always has the max.
   */
  @JCStressTest
  @Outcome(id = "1, 5, 5, 0, 0, 0", expect = ACCEPTABLE, desc = "in the step being polled")
  @Outcome(id = "0, 0, 0, 1, 5, 5", expect = ACCEPTABLE, desc = "in the next step")
  @Outcome(id = "1, 5, 5, 0, 0, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: in the polled step, max in both")
  @Outcome(id = "0, 0, 5, 1, 5, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: in the next step, max in both")
  @Outcome(id = "1, 0, 5, 0, 5, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: count polled, total in the next step")
  @Outcome(id = "0, 5, 5, 1, 0, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: total polled, count in the next step")
  @Outcome(expect = FORBIDDEN, desc = "lost, counted twice, or a step with the count but not the max")
  @State
  public static class TimerRecord {
    private final StepRegistry registry = Steps.registry();
    private final Timer timer = registry.timer("t");

    @Actor public void record() {
      timer.record(5, TimeUnit.NANOSECONDS);
    }

    @Actor public void poll(JJJJJJ_Result r) {
      StepSnapshot s = registry.poll(Steps.end(1));
      r.r1 = Steps.count(s, "t");
      r.r2 = Steps.total(s, "t");
      r.r3 = Steps.max(s, "t");
    }

    @Arbiter public void next(JJJJJJ_Result r) {
      StepSnapshot s = registry.poll(Steps.end(2));
      r.r4 = Steps.count(s, "t");
      r.r5 = Steps.total(s, "t");
      r.r6 = Steps.max(s, "t");
    }
  }

  /** The same for a distribution summary record of 5. */
  @JCStressTest
  @Outcome(id = "1, 5, 5, 0, 0, 0", expect = ACCEPTABLE, desc = "in the step being polled")
  @Outcome(id = "0, 0, 0, 1, 5, 5", expect = ACCEPTABLE, desc = "in the next step")
  @Outcome(id = "1, 5, 5, 0, 0, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: in the polled step, max in both")
  @Outcome(id = "0, 0, 5, 1, 5, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: in the next step, max in both")
  @Outcome(id = "1, 0, 5, 0, 5, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: count polled, total in the next step")
  @Outcome(id = "0, 5, 5, 1, 0, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: total polled, count in the next step")
  @Outcome(expect = FORBIDDEN, desc = "lost, counted twice, or a step with the count but not the max")
  @State
  public static class SummaryRecord {
    private final StepRegistry registry = Steps.registry();
    private final DistributionSummary summary = registry.distributionSummary("d");

    @Actor public void record() {
      summary.record(5);
    }

    @Actor public void poll(JJJJJJ_Result r) {
      StepSnapshot s = registry.poll(Steps.end(1));
      r.r1 = Steps.count(s, "d");
      r.r2 = Steps.total(s, "d");
      r.r3 = Steps.max(s, "d");
    }

    @Arbiter public void next(JJJJJJ_Result r) {
      StepSnapshot s = registry.poll(Steps.end(2));
      r.r4 = Steps.count(s, "d");
      r.r5 = Steps.total(s, "d");
      r.r6 = Steps.max(s, "d");
    }
  }

  /** A gauge at 1 set to 2 while its step is polled: the polled step has either, the next has 2. */
  @JCStressTest
  @Outcome(id = "1.0, 2.0", expect = ACCEPTABLE, desc = "set after the poll read the gauge")
  @Outcome(id = "2.0, 2.0", expect = ACCEPTABLE, desc = "set before the poll read the gauge")
  @Outcome(expect = FORBIDDEN, desc = "the newer value lost")
  @State
  public static class GaugeSet {
    private final StepRegistry registry = Steps.registry();
    private final Gauge gauge = registry.gauge("g");

    public GaugeSet() {
      gauge.set(1);
    }

    @Actor public void set() {
      gauge.set(2);
    }

    @Actor public void poll(DD_Result r) {
      r.r1 = Steps.value(registry.poll(Steps.end(1)), "g", "gauge", -1);
    }

    @Arbiter public void next(DD_Result r) {
      r.r2 = Steps.value(registry.poll(Steps.end(2)), "g", "gauge", -1);
    }
  }

  /** A max gauge set to 5 is the max of exactly one step; a step without a set reports nothing (-1). */
  @JCStressTest
  @Outcome(id = "5.0, -1.0", expect = ACCEPTABLE, desc = "in the step being polled")
  @Outcome(id = "-1.0, 5.0", expect = ACCEPTABLE, desc = "in the next step")
  @Outcome(expect = FORBIDDEN, desc = "lost or in both steps")
  @State
  public static class MaxGaugeSet {
    private final StepRegistry registry = Steps.registry();
    private final Gauge gauge = registry.maxGauge("m");

    @Actor public void set() {
      gauge.set(5);
    }

    @Actor public void poll(DD_Result r) {
      r.r1 = Steps.value(registry.poll(Steps.end(1)), "m", "max", -1);
    }

    @Arbiter public void next(DD_Result r) {
      r.r2 = Steps.value(registry.poll(Steps.end(2)), "m", "max", -1);
    }
  }
}
