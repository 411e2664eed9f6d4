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
 * A peek (the endpoint's view of the step in progress) races a record and the poll: it claims the
 * same cells as the poll, and must change nothing the two polls report. Results: what the peek
 * saw, the polled step, the next step.
 */
public final class PeekVsPollStress {

  private PeekVsPollStress() {}

  /** Counter increment, peek and poll. */
  @JCStressTest
  @Outcome(id = {"0.0, 1.0, 0.0", "1.0, 1.0, 0.0"}, expect = ACCEPTABLE, desc = "in the polled step, peek before or after it")
  @Outcome(id = {"0.0, 0.0, 1.0", "1.0, 0.0, 1.0"}, expect = ACCEPTABLE, desc = "in the next step, peek before or after it")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice")
  @State
  public static class CounterPeek {
    private final StepRegistry registry = Steps.registry();
    private final Counter counter = registry.counter("c");

    @Actor public void record() {
      counter.increment();
    }

    @Actor public void peek(DDD_Result r) {
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
  @Outcome(id = {"0, 1, 0", "1, 1, 0"}, expect = ACCEPTABLE, desc = "in the polled step, peek before or after it")
  @Outcome(id = {"0, 0, 1", "1, 0, 1"}, expect = ACCEPTABLE, desc = "in the next step, peek before or after it")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice")
  @State
  public static class TimerPeek {
    private final StepRegistry registry = Steps.registry();
    private final Timer timer = registry.timer("t");

    @Actor public void record() {
      timer.record(5, TimeUnit.NANOSECONDS);
    }

    @Actor public void peek(JJJ_Result r) {
      r.r1 = (long) Steps.value(registry.peek(), "t", "count");
    }

    @Actor public void poll(JJJ_Result r) {
      r.r2 = (long) Steps.value(registry.poll(Steps.end(1)), "t", "count");
    }

    @Arbiter public void next(JJJ_Result r) {
      r.r3 = (long) Steps.value(registry.poll(Steps.end(2)), "t", "count");
    }
  }
}
