package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Measurement;
import com.netflix.spectator.api.Meter;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.atlas.AtlasRegistry;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code Meter.measure()}, the generic Spectator path that libraries and tools iterate, on a
 * counter and a timer with one polled step, every measurement consumed: ours against
 * {@code AtlasRegistry}'s. Run with {@code -prof gc} for the bytes per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MeasureBenchmark {

  @State(Scope.Benchmark)
  public static class Meters {
    @Param({"step", "atlas"})
    String registry;
    Meter counter;
    Meter timer;

    @Setup
    public void setUp() {
      if (registry.equals("step")) {
        StepRegistry r = new StepRegistry(Clock.SYSTEM, new StepRegistryConfig(Duration.ofMinutes(1),
            Duration.ofDays(1), 1_000, Map.of("nf.app", "bench")));
        record(r);
        r.poll(r.lastStepBoundary() + 60_000);
      } else {
        ManualClock clock = new ManualClock();
        clock.setWallTime(1_700_000_010_000L);
        AtlasRegistry r = new AtlasRegistry(clock, k -> switch (k) {
          case "atlas.step", "atlas.lwc.step" -> "PT1M";
          default -> null;
        });
        record(r);
        clock.setWallTime(clock.wallTime() + 60_000);
      }
    }

    private void record(Registry r) {
      r.counter("server.requests", "status", "200").increment(3);
      r.timer("server.latency", "method", "GET").record(5, TimeUnit.MILLISECONDS);
      counter = r.counter("server.requests", "status", "200");
      timer = r.timer("server.latency", "method", "GET");
    }
  }

  @Benchmark
  public void counterMeasure(Meters m, Blackhole bh) {
    for (Measurement x : m.counter.measure()) {
      bh.consume(x);
    }
  }

  @Benchmark
  public void timerMeasure(Meters m, Blackhole bh) {
    for (Measurement x : m.timer.measure()) {
      bh.consume(x);
    }
  }
}
