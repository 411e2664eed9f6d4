package io.github.spectatorboot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.Gauge;
import com.netflix.spectator.api.Timer;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The recording path reads no clock and allocates nothing. */
class RecordingPathTest {

  /** A clock that counts how often it is read. */
  static final class CountingClock implements Clock {
    final AtomicLong reads = new AtomicLong();

    @Override public long wallTime() {
      reads.incrementAndGet();
      return 1_700_000_000_000L;
    }

    @Override public long monotonicTime() {
      reads.incrementAndGet();
      return 0;
    }
  }

  @Test
  void recordingReadsNoClock() {
    CountingClock clock = new CountingClock();
    StepRegistry registry = new StepRegistry(clock, StepRegistryConfig.defaults());
    Counter c = registry.counter("c");
    Timer t = registry.timer("t");
    DistributionSummary d = registry.distributionSummary("d");
    Gauge g = registry.gauge("g");
    Gauge m = registry.maxGauge("m");
    long before = clock.reads.get();

    for (int i = 0; i < 1000; i++) {
      c.increment();
      t.record(i, TimeUnit.MILLISECONDS);
      d.record(i);
      g.set(i);
      m.set(i);
    }

    assertThat(clock.reads.get()).isEqualTo(before);
  }

  @Test
  void recordingThroughHeldMetersAllocatesNothing() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    StepRegistry registry = new StepRegistry();
    Counter c = registry.counter("c");
    Timer t = registry.timer("t");
    DistributionSummary d = registry.distributionSummary("d");
    Gauge g = registry.gauge("g");
    Gauge m = registry.maxGauge("m");
    record(c, t, d, g, m, 20_000); // warm up: class loading and the interpreter's first allocations

    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    record(c, t, d, g, m, 100_000);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    // 500,000 updates; a single allocation per update would be megabytes. The slack covers the
    // measurement itself.
    assertThat(allocated).isLessThan(1_024);
  }

  private static void record(Counter c, Timer t, DistributionSummary d, Gauge g, Gauge m, int n) {
    for (int i = 0; i < n; i++) {
      c.increment();
      t.record(i, TimeUnit.NANOSECONDS);
      d.record(i);
      g.set(i);
      m.set(i);
    }
  }
}
