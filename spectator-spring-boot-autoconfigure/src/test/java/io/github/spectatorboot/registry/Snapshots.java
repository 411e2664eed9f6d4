package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Tag;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Reads snapshots in tests: measurements keyed by name and tags, statistic included. */
final class Snapshots {

  private Snapshots() {}

  /** Key of a measurement: {@code name{k=v,...,statistic=s}} with tags sorted. */
  static String key(Id id, String statistic) {
    Map<String, String> tags = new TreeMap<>();
    for (Tag t : id.tags()) {
      tags.put(t.key(), t.value());
    }
    tags.put(AtlasNames.STATISTIC, statistic);
    return id.name() + tags;
  }

  /** Deltas of a snapshot by key, leaving out the registry's own meters. */
  static Map<String, Double> deltas(StepSnapshot s) {
    return s.measurements().stream()
        .filter(m -> !m.id().name().startsWith("spectator."))
        .collect(Collectors.toMap(m -> key(m.id(), m.statistic()), StepMeasurement::delta, (a, b) -> {
          throw new AssertionError("two measurements with one key in " + s.measurements());
        }, TreeMap::new));
  }

  /** Rates of a snapshot by key, leaving out the registry's own meters. */
  static Map<String, Double> rates(StepSnapshot s) {
    return s.measurements().stream()
        .filter(m -> !m.id().name().startsWith("spectator."))
        .collect(Collectors.toMap(m -> key(m.id(), m.statistic()), StepMeasurement::rate, (a, b) -> a, TreeMap::new));
  }
}
