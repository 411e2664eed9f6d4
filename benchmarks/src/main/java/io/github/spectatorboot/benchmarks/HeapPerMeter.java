package io.github.spectatorboot.benchmarks;

import org.openjdk.jol.info.GraphLayout;

/**
 * Heap retained per meter: the size of everything reachable from the registry, walked with JOL,
 * with 100,000 meters minus without them, divided by 100,000. Measured twice: right after the
 * meters are created and updated once, and after two more steps each updated and polled, which
 * is the steady state (a registry may keep per-meter state from its last poll, such as
 * {@code AtlasRegistry}'s consolidators and our last snapshot). The baseline registry has been
 * polled the same way, so state a registry creates on its first poll is not charged to meters.
 */
final class HeapPerMeter {

  static final int METERS = 100_000;

  /** Bytes per meter of one registry and one meter type. */
  record Result(String registry, String meter, double createdBytes, double steadyBytes) {}

  static {
    // the registries hold lambdas, whose hidden classes Unsafe will not give field offsets for
    System.setProperty("jol.magicFieldOffset", "true");
  }

  private HeapPerMeter() {}

  static Result measure(String registry, String meter) {
    Contender c = Contender.create(registry, true);
    var sink = new PollSink(null);
    for (int i = 0; i < 2; i++) {
      c.advanceStep();
      c.poll(sink);
    }
    long base = sizeOf(c.registry());
    if (meter.equals("counter")) {
      c.createCounters(METERS);
    } else {
      c.createTimers(METERS);
    }
    c.updateMeters();
    long created = sizeOf(c.registry());
    for (int i = 0; i < 2; i++) {
      c.advanceStep();
      c.updateMeters();
      c.poll(sink);
    }
    long steady = sizeOf(c.registry());
    return new Result(registry, meter, (created - base) / (double) METERS, (steady - base) / (double) METERS);
  }

  private static long sizeOf(Object root) {
    return GraphLayout.parseInstance(root).totalSize();
  }
}
