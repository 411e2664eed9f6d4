package io.github.spectatorboot.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recording into a meter the application holds: the hot path that every instrumented call pays.
 * The meters are the handles the registry returns (for the Spectator registries, the
 * {@code Swap*} wrappers that {@code AbstractRegistry} hands out), on the system clock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordBenchmark {

  @Param({Contender.STEP, Contender.ATLAS, Contender.MICROMETER})
  public String registry;

  private Contender contender;

  @Setup public void setUp() {
    contender = Contender.create(registry, false);
    contender.holdMeters();
  }

  /** Amounts to record, cycled, so that no run records a constant the compiler could fold. */
  @State(Scope.Thread)
  public static class Amounts {
    private static final int MASK = 1023;
    private final long[] values = new long[MASK + 1];
    private int next;

    @Setup public void setUp() {
      var random = new SplittableRandom(42);
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextLong(1_000L, 10_000_000L);
      }
    }

    long next() {
      int i = next;
      next = (i + 1) & MASK;
      return values[i];
    }
  }

  @Benchmark public void counterIncrement() {
    contender.incrementHeldCounter();
  }

  /** Two threads increment the same counter; the score is the time per increment per thread. */
  @Benchmark @Threads(2)
  public void counterIncrementTwoThreads() {
    contender.incrementHeldCounter();
  }

  @Benchmark public void timerRecord(Amounts amounts) {
    contender.recordHeldTimer(amounts.next());
  }

  /** Two threads record into the same timer; the score is the time per record per thread. */
  @Benchmark @Threads(2)
  public void timerRecordTwoThreads(Amounts amounts) {
    contender.recordHeldTimer(amounts.next());
  }

  @Benchmark public void summaryRecord(Amounts amounts) {
    contender.recordHeldSummary(amounts.next());
  }
}
