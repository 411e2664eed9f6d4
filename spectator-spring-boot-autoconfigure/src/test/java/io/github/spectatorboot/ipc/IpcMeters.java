package io.github.spectatorboot.ipc;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Tag;
import com.netflix.spectator.api.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Reads the IPC timers of a registry as counts per exact tag set. */
final class IpcMeters {

  private IpcMeters() {}

  /** Count of each tag set of the timer {@code name}, the percentile counters left out. */
  static Map<Map<String, String>, Long> counts(Registry registry, String name) {
    return registry.stream()
        .filter(m -> m instanceof Timer && name.equals(m.id().name()))
        .collect(Collectors.toMap(m -> tags(m.id().tags()), m -> ((Timer) m).count(), Long::sum, LinkedHashMap::new));
  }

  /** Counts of one owner's entries of the timer {@code name}. */
  static Map<Map<String, String>, Long> counts(Registry registry, String name, String owner) {
    Map<Map<String, String>, Long> all = counts(registry, name);
    all.keySet().removeIf(tags -> !owner.equals(tags.get("owner")));
    return all;
  }

  /** Counts of one owner's entries of the timer {@code name} whose endpoint passes {@code endpoints}. */
  static Map<Map<String, String>, Long> counts(Registry registry, String name, String owner,
      java.util.function.Predicate<String> endpoints) {
    Map<Map<String, String>, Long> all = counts(registry, name, owner);
    all.keySet().removeIf(tags -> !endpoints.test(tags.get("ipc.endpoint")));
    return all;
  }

  /** What {@code after} counted beyond {@code before}, tag sets without new counts left out. */
  static Map<Map<String, String>, Long> delta(Map<Map<String, String>, Long> before, Map<Map<String, String>, Long> after) {
    Map<Map<String, String>, Long> delta = new LinkedHashMap<>();
    after.forEach((tags, n) -> {
      long d = n - before.getOrDefault(tags, 0L);
      if (d != 0) {
        delta.put(tags, d);
      }
    });
    return delta;
  }

  static long sum(Map<Map<String, String>, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Total over all tag sets of one owner. */
  static long total(Registry registry, String name, String owner) {
    return counts(registry, name, owner).values().stream().mapToLong(Long::longValue).sum();
  }

  static Map<String, String> tags(Iterable<Tag> tags) {
    Map<String, String> map = new TreeMap<>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }

  /** A tag set from key, value, key, value, ... */
  static Map<String, String> tags(String... keyValues) {
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  /** Polls {@code condition} every 10 ms for at most 10 seconds. */
  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
  }

  /** A loopback port nothing listens on. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
