package io.github.spectatorboot.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything is timed, that each registry's poll reports every meter the poll
 * benchmark updates, with values that are not all zero: a benchmark that polled empty meters
 * would be fast for the wrong reason.
 */
final class WorkloadCheck {

  private WorkloadCheck() {}

  /** One line per registry and meter type: values per poll and their sum; throws if a poll reported too little. */
  static List<String> run(int meters) {
    List<String> lines = new ArrayList<>();
    for (String meter : List.of("counter", "timer")) {
      for (String registry : Contender.ALL) {
        Contender c = Contender.create(registry, true);
        if (meter.equals("counter")) {
          c.createCounters(meters);
        } else {
          c.createTimers(meters);
        }
        PollSink sink = null;
        for (int i = 0; i < 3; i++) {
          c.advanceStep();
          c.updateMeters();
          sink = new PollSink(null);
          c.poll(sink);
        }
        if (sink.count() < meters || !(sink.sum() > 0.0)) {
          throw new IllegalStateException(registry + " polled " + sink.count() + " values summing to "
              + sink.sum() + " from " + meters + " updated " + meter + "s");
        }
        lines.add(String.format("%s, %d %ss: %d values per poll", registry, meters, meter, sink.count()));
      }
    }
    return lines;
  }
}
