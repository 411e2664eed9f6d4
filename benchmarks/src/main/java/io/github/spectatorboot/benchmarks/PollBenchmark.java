package io.github.spectatorboot.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The once-per-step collection of 100,000 meters, each updated during the step, every value and
 * its id read. Before each poll, outside the measured time, the manual clock moves one step on
 * and every meter is updated once; what each registry's poll covers is in its {@link Contender}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PollBenchmark {

  static final int METERS = 100_000;

  /** A registry holding the meters of one poll benchmark. */
  @State(Scope.Benchmark)
  public abstract static class Meters {

    @Param({Contender.STEP, Contender.ATLAS, Contender.MICROMETER})
    public String registry;

    Contender contender;

    abstract void create(Contender c);

    @Setup(Level.Trial) public void setUp(Blackhole bh) {
      contender = Contender.create(registry, true);
      create(contender);
      // one step before measuring: creation and first-poll costs stay out of the measurement
      contender.advanceStep();
      contender.updateMeters();
      contender.poll(new PollSink(bh));
      // meters live long: move them to the old generation, as in an application that has run a
      // while, so that the first young collections do not copy them in the middle of a poll
      System.gc();
      System.gc();
    }

    @Setup(Level.Invocation) public void nextStep() {
      contender.advanceStep();
      contender.updateMeters();
    }
  }

  @State(Scope.Benchmark)
  public static class Counters extends Meters {
    @Override void create(Contender c) {
      c.createCounters(METERS);
    }
  }

  @State(Scope.Benchmark)
  public static class Timers extends Meters {
    @Override void create(Contender c) {
      c.createTimers(METERS);
    }
  }

  @Benchmark public double pollCounters(Counters meters, Blackhole bh) {
    return poll(meters, bh);
  }

  @Benchmark public double pollTimers(Timers meters, Blackhole bh) {
    return poll(meters, bh);
  }

  private static double poll(Meters meters, Blackhole bh) {
    var sink = new PollSink(bh);
    meters.contender.poll(sink);
    return sink.sum();
  }
}
