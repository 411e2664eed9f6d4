package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Id;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepSnapshot;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One step of a test's registry, polled once, with look-ups by name, statistic and tags. */
final class PolledMeters {

  private final StepSnapshot snapshot;

  private PolledMeters(StepSnapshot snapshot) {
    this.snapshot = snapshot;
  }

  /** Rolls the registry's current step over and keeps its values. */
  static PolledMeters poll(StepRegistry registry) {
    return new PolledMeters(registry.poll(registry.lastPollTimestamp() + registry.stepMillis()));
  }

  /**
   * Sum of the step's deltas of the measurements named {@code name} with {@code statistic} and
   * every tag in {@code tags} (key, value pairs); 0 when there are none.
   */
  double delta(String name, String statistic, String... tags) {
    double sum = 0.0;
    for (int i = 0; i < snapshot.size(); i++) {
      if (matches(snapshot.id(i), name, tags) && snapshot.statistic(i).equals(statistic)) {
        sum += snapshot.delta(i);
      }
    }
    return sum;
  }

  /** Number of calls a timer or counter named {@code name} recorded with the given tags. */
  double count(String name, String... tags) {
    return delta(name, "count", tags);
  }

  /** Total time in seconds a timer named {@code name} recorded with the given tags. */
  double totalTime(String name, String... tags) {
    return delta(name, "totalTime", tags);
  }

  /** The distinct tag sets (without {@code statistic}) of measurements named {@code name}. */
  Set<Map<String, String>> tagSets(String name) {
    Set<Map<String, String>> out = new LinkedHashSet<>();
    for (int i = 0; i < snapshot.size(); i++) {
      Id id = snapshot.id(i);
      if (id.name().equals(name)) {
        Map<String, String> tags = new TreeMap<>();
        for (int t = 1; t < id.size(); t++) {
          if (!id.getKey(t).equals("statistic")) {
            tags.put(id.getKey(t), id.getValue(t));
          }
        }
        out.add(tags);
      }
    }
    return out;
  }

  private static boolean matches(Id id, String name, String... tags) {
    if (!id.name().equals(name)) {
      return false;
    }
    for (int t = 0; t < tags.length; t += 2) {
      if (!tags[t + 1].equals(valueOf(id, tags[t]))) {
        return false;
      }
    }
    return true;
  }

  private static String valueOf(Id id, String key) {
    for (int t = 1; t < id.size(); t++) {
      if (id.getKey(t).equals(key)) {
        return id.getValue(t);
      }
    }
    return null;
  }
}
