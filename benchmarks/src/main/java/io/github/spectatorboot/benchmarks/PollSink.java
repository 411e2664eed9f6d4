package io.github.spectatorboot.benchmarks;

import org.openjdk.jmh.infra.Blackhole;

/**
 * Receives every value a poll reports, the same way for each registry: ids go to the blackhole,
 * values are counted and summed, so no part of the poll can be optimised away and a run can check
 * that each registry reported what it was given.
 */
final class PollSink {

  private final Blackhole bh;
  private long count;
  private double sum;

  /** @param bh the benchmark's blackhole, or null outside JMH */
  PollSink(Blackhole bh) {
    this.bh = bh;
  }

  void accept(Object id, double value) {
    consume(id);
    count++;
    sum += value;
  }

  void consume(Object o) {
    if (bh != null) {
      bh.consume(o);
    }
  }

  long count() {
    return count;
  }

  double sum() {
    return sum;
  }
}
