package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.ManualClock;
import io.github.spectatorboot.actuate.StepHistory;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.github.spectatorboot.registry.StepSnapshot;
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

/**
 * What the endpoint's history adds to every step when nobody opens the page: one
 * {@link StepHistory#accept} of the step's snapshot, with the default 60 steps and 3,000 series.
 * With 1,000 timers every series is kept (count, totalTime, max); with 100,000 timers the history
 * is full and the other 297,000 measurements are looked up and left out, the worst case.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class HistoryBenchmark {

  @Param({"1000", "100000"})
  public int timers;

  private StepHistory history;
  private StepSnapshot snapshot;

  /** The snapshot of one step of {@code timers} timers, each with one value. */
  static StepSnapshot timersStep(int timers) {
    ManualClock clock = new ManualClock(1_700_000_000_000L, 0);
    StepRegistry registry = new StepRegistry(clock, StepRegistryConfig.defaults());
    for (int i = 0; i < timers; i++) {
      registry.timer("timer", "i", Integer.toString(i)).record(i + 1, TimeUnit.MICROSECONDS);
    }
    clock.setWallTime(clock.wallTime() + StepRegistryConfig.DEFAULT_STEP.toMillis());
    return registry.poll();
  }

  @Setup(Level.Trial) public void setUp() {
    snapshot = timersStep(timers);
    history = new StepHistory(60, 3_000);
    // a full ring: the steady state of an application that has run an hour
    for (int i = 0; i < 60; i++) {
      history.accept(snapshot);
    }
  }

  @Benchmark public int historyStep() {
    history.accept(snapshot);
    return history.seriesCount();
  }
}
