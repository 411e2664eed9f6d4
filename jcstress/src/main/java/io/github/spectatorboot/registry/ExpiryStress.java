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
import org.openjdk.jcstress.infra.results.DZ_Result;
import org.openjdk.jcstress.infra.results.IZ_Result;
import org.openjdk.jcstress.infra.results.JJZ_Result;

/**
 * A meter last active in step 1 is idle until the poll that would expire and remove it (step
 * {@code 1 + TTL_STEPS}), while the application updates it through the handle it holds. The update
 * either keeps the meter alive, or goes to the removed meter (and is drained into the live one by
 * a later poll), or to a new meter: in every case the race's poll and the arbiter's four further
 * polls report it exactly once. The flag says whether the race's poll removed the original meter.
 */
public final class ExpiryStress {

  private ExpiryStress() {}

  /** Base of the states: a registry with one meter, active in step 1 only. */
  abstract static class Expiring {
    final StepRegistry registry = Steps.registry();
    StepMeter meter;

    /** Polls the steps up to the race's, and remembers the meter registered for {@code name}. */
    final void idleUntilExpiry(String name) {
      for (int n = 1; n < RACE; n++) {
        registry.poll(Steps.end(n));
      }
      meter = (StepMeter) registry.get(registry.createId(name));
    }

    /** Polls the step of the race. */
    final StepSnapshot pollRace() {
      return registry.poll(Steps.end(RACE));
    }
  }

  /** The step whose poll removes a meter last active in step 1. */
  static final int RACE = 1 + Steps.TTL_STEPS;

  /** A counter increment. */
  @JCStressTest
  @Outcome(id = "1.0, false", expect = ACCEPTABLE, desc = "the increment kept the counter alive")
  @Outcome(id = "1.0, true", expect = ACCEPTABLE_INTERESTING, desc = "the counter was removed; the increment still counted once")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice")
  @State
  public static class CounterIncrement extends Expiring {
    private final Counter counter = registry.counter("c");

    public CounterIncrement() {
      counter.increment();
      idleUntilExpiry("c");
    }

    @Actor public void record() {
      counter.increment();
    }

    @Actor public void poll(DZ_Result r) {
      r.r1 = Steps.value(pollRace(), "c", "count");
      r.r2 = meter.hasExpired();
    }

    @Arbiter public void after(DZ_Result r) {
      for (int n = RACE + 1; n <= RACE + 4; n++) {
        r.r1 += Steps.value(registry.poll(Steps.end(n)), "c", "count");
      }
    }
  }

  /** A timer record of 5 ns: count and total (ns) over all later steps. */
  @JCStressTest
  @Outcome(id = "1, 5, false", expect = ACCEPTABLE, desc = "the record kept the timer alive")
  @Outcome(id = "1, 5, true", expect = ACCEPTABLE_INTERESTING, desc = "the timer was removed; the record still counted once")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice")
  @State
  public static class TimerRecord extends Expiring {
    private final Timer timer = registry.timer("t");

    public TimerRecord() {
      timer.record(1, TimeUnit.NANOSECONDS);
      idleUntilExpiry("t");
    }

    @Actor public void record() {
      timer.record(5, TimeUnit.NANOSECONDS);
    }

    @Actor public void poll(JJZ_Result r) {
      StepSnapshot s = pollRace();
      r.r1 = Steps.count(s, "t");
      r.r2 = Steps.total(s, "t");
      r.r3 = meter.hasExpired();
    }

    @Arbiter public void after(JJZ_Result r) {
      for (int n = RACE + 1; n <= RACE + 4; n++) {
        StepSnapshot s = registry.poll(Steps.end(n));
        r.r1 += Steps.count(s, "t");
        r.r2 += Steps.total(s, "t");
      }
    }
  }

  /** A distribution summary record of 5. */
  @JCStressTest
  @Outcome(id = "1, 5, false", expect = ACCEPTABLE, desc = "the record kept the summary alive")
  @Outcome(id = "1, 5, true", expect = ACCEPTABLE_INTERESTING, desc = "the summary was removed; the record still counted once")
  @Outcome(expect = FORBIDDEN, desc = "lost or counted twice")
  @State
  public static class SummaryRecord extends Expiring {
    private final DistributionSummary summary = registry.distributionSummary("d");

    public SummaryRecord() {
      summary.record(1);
      idleUntilExpiry("d");
    }

    @Actor public void record() {
      summary.record(5);
    }

    @Actor public void poll(JJZ_Result r) {
      StepSnapshot s = pollRace();
      r.r1 = Steps.count(s, "d");
      r.r2 = Steps.total(s, "d");
      r.r3 = meter.hasExpired();
    }

    @Arbiter public void after(JJZ_Result r) {
      for (int n = RACE + 1; n <= RACE + 4; n++) {
        StepSnapshot s = registry.poll(Steps.end(n));
        r.r1 += Steps.count(s, "d");
        r.r2 += Steps.total(s, "d");
      }
    }
  }

  /**
   * A gauge at 1 set to 5 and then to 7 by one thread: the value reported after the race is 7,
   * never the superseded 5 (nor the expired 1), at every one of the arbiter's polls.
   */
  @JCStressTest
  @Outcome(id = "7.0, false", expect = ACCEPTABLE, desc = "the sets kept the gauge alive")
  @Outcome(id = "7.0, true", expect = ACCEPTABLE_INTERESTING, desc = "the gauge was removed; the newest value still won")
  @Outcome(expect = FORBIDDEN, desc = "a superseded value reported, or none")
  @State
  public static class GaugeSet extends Expiring {
    private final Gauge gauge = registry.gauge("g");

    public GaugeSet() {
      gauge.set(1);
      idleUntilExpiry("g");
    }

    @Actor public void set() {
      gauge.set(5);
      gauge.set(7);
    }

    @Actor public void poll(DZ_Result r) {
      pollRace();
      r.r2 = meter.hasExpired();
    }

    @Arbiter public void after(DZ_Result r) {
      double reported = 7;
      for (int n = RACE + 1; n <= RACE + 4; n++) {
        double v = Steps.value(registry.poll(Steps.end(n)), "g", "gauge", -1);
        if (v != 7) {
          reported = v;
        }
      }
      r.r1 = reported;
    }
  }

  /** A max gauge set to 5: the number of steps, of the race's poll and the four after it, whose max is 5. */
  @JCStressTest
  @Outcome(id = "1, false", expect = ACCEPTABLE, desc = "the set kept the max gauge alive")
  @Outcome(id = "1, true", expect = ACCEPTABLE_INTERESTING, desc = "the max gauge was removed; the value still reported once")
  @Outcome(expect = FORBIDDEN, desc = "lost or reported twice")
  @State
  public static class MaxGaugeSet extends Expiring {
    private final Gauge gauge = registry.maxGauge("m");

    public MaxGaugeSet() {
      gauge.set(1);
      idleUntilExpiry("m");
    }

    @Actor public void set() {
      gauge.set(5);
    }

    @Actor public void poll(IZ_Result r) {
      r.r1 = Steps.value(pollRace(), "m", "max", -1) == 5 ? 1 : 0;
      r.r2 = meter.hasExpired();
    }

    @Arbiter public void after(IZ_Result r) {
      for (int n = RACE + 1; n <= RACE + 4; n++) {
        r.r1 += Steps.value(registry.poll(Steps.end(n)), "m", "max", -1) == 5 ? 1 : 0;
      }
    }
  }
}
