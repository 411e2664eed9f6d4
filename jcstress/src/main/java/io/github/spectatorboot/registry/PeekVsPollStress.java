package io.github.spectatorboot.registry;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.Timer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.DDD_Result;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * A peek (the endpoint's view of the step in progress) races the poll, right after a record that
 * races the poll too: the peek claims the same cells as the poll, and must change nothing the two
 * polls report. Results: what the peek saw, the polled step, the next step. A peek that follows
 * the record on its thread sees it unless the poll already took it: a record in the next step
 * that the peek missed would be lost from the step in progress. (Two actors: the machines this
 * runs on may have two cores.)
 */
public final class PeekVsPollStress {

  private PeekVsPollStress() {}

  /** Counter increment, peek and poll. */
  @JCStressTest
  @Outcome(id = {"0.0, 1.0, 0.0", "1.0, 1.0, 0.0"}, expect = ACCEPTABLE, desc = "in the polled step, peeked before or after the poll")
  @Outcome(id = "1.0, 0.0, 1.0", expect = ACCEPTABLE, desc = "in the next step, seen by the peek")
  @Outcome(expect = FORBIDDEN, desc = "lost, counted twice, or missing from the peek of its step")
  @State
  public static class CounterPeek {
    private final StepRegistry registry = Steps.registry();
    private final Counter counter = registry.counter("c");

    @Actor public void recordThenPeek(DDD_Result r) {
      counter.increment();
      r.r1 = Steps.value(registry.peek(), "c", "count");
    }

    @Actor public void poll(DDD_Result r) {
      r.r2 = Steps.value(registry.poll(Steps.end(1)), "c", "count");
    }

    @Arbiter public void next(DDD_Result r) {
      r.r3 = Steps.value(registry.poll(Steps.end(2)), "c", "count");
    }
  }

  /** Timer record, peek and poll: counts. */
  @JCStressTest
  @Outcome(id = {"0, 1, 0", "1, 1, 0"}, expect = ACCEPTABLE, desc = "in the polled step, peeked before or after the poll")
  @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "in the next step, seen by the peek")
  @Outcome(expect = FORBIDDEN, desc = "lost, counted twice, or missing from the peek of its step")
  @State
  public static class TimerPeek {
    private final StepRegistry registry = Steps.registry();
    private final Timer timer = registry.timer("t");

    @Actor public void recordThenPeek(JJJ_Result r) {
      timer.record(5, TimeUnit.NANOSECONDS);
      r.r1 = Steps.count(registry.peek(), "t");
    }

    @Actor public void poll(JJJ_Result r) {
      r.r2 = Steps.count(registry.poll(Steps.end(1)), "t");
    }

    @Arbiter public void next(JJJ_Result r) {
      r.r3 = Steps.count(registry.poll(Steps.end(2)), "t");
    }
  }
}
