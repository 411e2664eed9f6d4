package io.github.spectatorboot.registry;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.Timer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJJ_Result;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

/**
 * The LWC sub-step ({@link StepRegistry#pollSubStep}, every 5 s) races recorders and the publish
 * poll. Each state first takes the reading of sub-step 1, so that sub-steps 2 and 3 report; a
 * record must be in exactly one sub-step and, whatever the order, in exactly one publish step.
 * Run: {@code java -jar jcstress/target/jcstress.jar -t SubStepStress -m quick}.
 */
public final class SubStepStress {

  private static final long SUB_STEP = 5_000;

  private SubStepStress() {}

  static long subEnd(int n) {
    return Steps.T0 + n * SUB_STEP;
  }

  static StepRegistry registry() {
    StepRegistry registry = Steps.registry();
    registry.pollSubStep(subEnd(1), SUB_STEP);
    return registry;
  }

  /** A counter increment races sub-step 2; the arbiter takes sub-step 3 and polls the publish step. */
  @JCStressTest
  @Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "in the sub-step being taken")
  @Outcome(id = "0, 1, 1, 0", expect = ACCEPTABLE, desc = "in the next sub-step")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice by the sub-steps, or not published exactly once")
  @State
  public static class CounterVsSubStep {
    private final StepRegistry registry = registry();
    private final Counter counter = registry.counter("c");

    @Actor public void record() {
      counter.increment();
    }

    @Actor public void subStep(JJJJ_Result r) {
      r.r1 = (long) Steps.value(registry.pollSubStep(subEnd(2), SUB_STEP), "c", "count");
    }

    @Arbiter public void next(JJJJ_Result r) {
      r.r2 = (long) Steps.value(registry.pollSubStep(subEnd(3), SUB_STEP), "c", "count");
      r.r3 = (long) Steps.value(registry.poll(Steps.end(1)), "c", "count");
      r.r4 = (long) Steps.value(registry.poll(Steps.end(2)), "c", "count");
    }
  }

  /**
   * A timer record of 5 ns races sub-step 2: count and max of sub-steps 2 and 3, then count and
   * max of the publish step. As with the publish poll, a record that took the overflow path may
   * raise the max of both sub-steps; the sub-step with the count always has the max, and the
   * publish step gets the record exactly once, with its max.
   */
  @JCStressTest
  @Outcome(id = "1, 5, 0, 0, 1, 5", expect = ACCEPTABLE, desc = "in the sub-step being taken")
  @Outcome(id = "0, 0, 1, 5, 1, 5", expect = ACCEPTABLE, desc = "in the next sub-step")
  @Outcome(id = "1, 5, 0, 5, 1, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: in the sub-step taken, max in both")
  @Outcome(id = "0, 5, 1, 5, 1, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: in the next sub-step, max in both")
  @Outcome(expect = FORBIDDEN, desc = "lost, counted twice, a sub-step with the count but not the max, or a wrong publish")
  @State
  public static class TimerVsSubStep {
    private final StepRegistry registry = registry();
    private final Timer timer = registry.timer("t");

    @Actor public void record() {
      timer.record(5, TimeUnit.NANOSECONDS);
    }

    @Actor public void subStep(JJJJJJ_Result r) {
      StepSnapshot s = registry.pollSubStep(subEnd(2), SUB_STEP);
      r.r1 = Steps.count(s, "t");
      r.r2 = Steps.max(s, "t");
    }

    @Arbiter public void next(JJJJJJ_Result r) {
      StepSnapshot s = registry.pollSubStep(subEnd(3), SUB_STEP);
      r.r3 = Steps.count(s, "t");
      r.r4 = Steps.max(s, "t");
      StepSnapshot published = registry.poll(Steps.end(1));
      r.r5 = Steps.count(published, "t");
      r.r6 = Steps.max(published, "t");
    }
  }

  /**
   * The publish poll of step 1 races a thread that increments a counter (already at 10 since the
   * reading of sub-step 1) and then takes sub-step 2; the arbiter takes sub-step 3 and polls step
   * 2. (Two actors: this machine schedules no more.) Sub-step 2 has all 11 whatever the order,
   * sub-step 3 none, and the publish steps have the 11 between them, the increment in one of them.
   */
  @JCStressTest
  @Outcome(id = "11, 0, 11, 0", expect = ACCEPTABLE, desc = "polled after the increment")
  @Outcome(id = "11, 0, 10, 1", expect = ACCEPTABLE, desc = "polled before the increment")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice")
  @State
  public static class CounterSubStepVsPoll {
    private final StepRegistry registry = registry();
    private final Counter counter = registry.counter("c");

    public CounterSubStepVsPoll() {
      counter.increment(10);
    }

    @Actor public void recordThenSubStep(JJJJ_Result r) {
      counter.increment();
      r.r1 = (long) Steps.value(registry.pollSubStep(subEnd(2), SUB_STEP), "c", "count");
    }

    @Actor public void poll(JJJJ_Result r) {
      r.r3 = (long) Steps.value(registry.poll(Steps.end(1)), "c", "count");
    }

    @Arbiter public void next(JJJJ_Result r) {
      r.r2 = (long) Steps.value(registry.pollSubStep(subEnd(3), SUB_STEP), "c", "count");
      r.r4 = (long) Steps.value(registry.poll(Steps.end(2)), "c", "count");
    }
  }

  /**
   * The same for a timer that recorded 3 ns since sub-step 1 and records 5 ns: count and max of
   * sub-step 2, of publish step 1 and of publish step 2 (sub-step 3, which must be empty, turns
   * the sub-step's count to -1 if it is not). The step that has the 5 ns record has its max.
   */
  @JCStressTest
  @Outcome(id = "2, 5, 2, 5, 0, 0", expect = ACCEPTABLE, desc = "polled after the record")
  @Outcome(id = "2, 5, 1, 3, 1, 5", expect = ACCEPTABLE, desc = "polled before the record")
  @Outcome(id = "2, 5, 2, 5, 0, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: polled, max in both steps")
  @Outcome(id = "2, 5, 1, 5, 1, 5", expect = ACCEPTABLE_INTERESTING, desc = "overflow: in the next step, max in both")
  @Outcome(expect = FORBIDDEN, desc = "lost, counted twice, or a count without its max")
  @State
  public static class TimerSubStepVsPoll {
    private final StepRegistry registry = registry();
    private final Timer timer = registry.timer("t");

    public TimerSubStepVsPoll() {
      timer.record(3, TimeUnit.NANOSECONDS);
    }

    @Actor public void recordThenSubStep(JJJJJJ_Result r) {
      timer.record(5, TimeUnit.NANOSECONDS);
      StepSnapshot s = registry.pollSubStep(subEnd(2), SUB_STEP);
      r.r1 = Steps.count(s, "t");
      r.r2 = Steps.max(s, "t");
    }

    @Actor public void poll(JJJJJJ_Result r) {
      StepSnapshot s = registry.poll(Steps.end(1));
      r.r3 = Steps.count(s, "t");
      r.r4 = Steps.max(s, "t");
    }

    @Arbiter public void next(JJJJJJ_Result r) {
      if (Steps.count(registry.pollSubStep(subEnd(3), SUB_STEP), "t") != 0) {
        r.r1 = -1;
      }
      StepSnapshot s = registry.poll(Steps.end(2));
      r.r5 = Steps.count(s, "t");
      r.r6 = Steps.max(s, "t");
    }
  }
}
