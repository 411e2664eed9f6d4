package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.atlas.AtlasConfig;
import io.github.spectatorboot.micrometer.SpectatorMeterRegistry;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.micrometer.atlas.AtlasMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.CountingMode;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Micrometer's API over three registries: the bridge ({@link SpectatorMeterRegistry} over our
 * {@code StepRegistry}), Micrometer's {@link SimpleMeterRegistry} in {@link CountingMode#STEP}, and
 * Micrometer's {@link AtlasMeterRegistry} (publishing disabled). Every registry has a one-minute
 * step and the system clock; what Boot's instrumentation does on every request is what is measured:
 * recording into a held counter and timer, and looking a counter up with {@code Counter.builder}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MicrometerBridgeBenchmark {

  /** The bridge over our {@code StepRegistry}. */
  static final String BRIDGE = "bridge";
  /** Micrometer's {@code SimpleMeterRegistry}, step counting. */
  static final String SIMPLE = "simple";
  /** Micrometer's {@code AtlasMeterRegistry} over Netflix's {@code AtlasRegistry}, never publishing. */
  static final String ATLAS = "micrometer-atlas";

  @Param({BRIDGE, SIMPLE, ATLAS})
  public String registry;

  private MeterRegistry meters;
  private Counter counter;
  private Timer timer;
  private long nanos;

  @Setup public void setUp() {
    meters = create(registry);
    counter = meters.counter(Contender.COUNTER_NAME);
    timer = meters.timer(Contender.TIMER_NAME);
    Counter.builder(Contender.COUNTER_NAME).tag("uri", "/orders").tag("status", "200").register(meters);
  }

  @TearDown public void tearDown() {
    meters.close();
  }

  static MeterRegistry create(String registry) {
    return switch (registry) {
      case BRIDGE -> {
        StepRegistry step = new StepRegistry(com.netflix.spectator.api.Clock.SYSTEM,
            StepRegistryConfig.defaults().withStep(Contender.STEP_SIZE));
        yield new SpectatorMeterRegistry(step, Clock.SYSTEM, Contender.STEP_SIZE, Set.of());
      }
      case SIMPLE -> new SimpleMeterRegistry(new SimpleConfig() {
        @Override public String get(String key) {
          return null;
        }

        @Override public CountingMode mode() {
          return CountingMode.STEP;
        }

        @Override public Duration step() {
          return Contender.STEP_SIZE;
        }
      }, Clock.SYSTEM);
      case ATLAS -> new AtlasMeterRegistry(new AtlasConfig() {
        @Override public String get(String key) {
          return null;
        }

        @Override public boolean enabled() {
          return false;
        }

        @Override public Duration step() {
          return Contender.STEP_SIZE;
        }
      }, Clock.SYSTEM);
      default -> throw new IllegalArgumentException("unknown registry " + registry);
    };
  }

  @Benchmark public void counterIncrement() {
    counter.increment();
  }

  @Benchmark public void timerRecord() {
    // a different duration each time, so that no run records a constant the compiler could fold
    nanos = (nanos + 7_919) & 0xFFFFF;
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Finds the existing counter of a name and two tags, as Boot's instrumentation does per request. */
  @Benchmark public Counter counterBuilderLookup() {
    return Counter.builder(Contender.COUNTER_NAME).tag("uri", "/orders").tag("status", "200").register(meters);
  }
}
