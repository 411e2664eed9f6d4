package io.github.spectatorboot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Measurement;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Tag;
import com.netflix.spectator.atlas.AtlasConfig;
import com.netflix.spectator.atlas.AtlasRegistry;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Feeds the same random events to this registry and to Netflix's {@link AtlasRegistry} and
 * compares the per-step rates they would publish.
 *
 * <p>{@code AtlasRegistry} is configured with its lwc step equal to the publish step, so each
 * step's value comes from one rollover, as in ours. Deliberate differences, kept out of the
 * comparison:
 * <ul>
 *   <li>Events happen at least one second into a step and polls one millisecond after the
 *       boundary: ours assigns a value to the step being accumulated when the poll runs,
 *       AtlasRegistry to the step of the clock reading at record time, and the two agree when no
 *       value is recorded between the boundary and the poll.</li>
 *   <li>Meters named {@code spectator.*} are each registry's own and differ by design.</li>
 * </ul>
 */
class AtlasRegistryDifferentialTest {

  private static final long STEP = 60_000;
  private static final long T0 = 1_700_000_000_000L / STEP * STEP;
  private static final String[] NAMES = {"requests", "latency", "payload"};
  private static final String[] VALUES = {"a", "b", "c d"};

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 1234, 99991})
  void randomEventsGiveTheSameRatesAsAtlasRegistryEveryStep(long seed) {
    Random random = new Random(seed);
    ManualClock clock = new ManualClock(T0, 0);
    StepRegistry ours = new StepRegistry(clock, StepRegistryConfig.defaults());
    AtlasRegistry atlas = new AtlasRegistry(clock, atlasConfig());

    int steps = 40;
    int compared = 0;
    for (int step = 0; step < steps; step++) {
      long stepStart = T0 + step * STEP;
      // about a third of the steps are idle, and a long idle run lets meters expire
      boolean idle = random.nextInt(3) == 0 || (step >= 10 && step < 27);
      int events = idle ? 0 : random.nextInt(50);
      long offset = 1_000;
      for (int e = 0; e < events; e++) {
        offset += random.nextInt(1_000);
        clock.setWallTime(stepStart + Math.min(offset, STEP - 1_000));
        record(random, ours, atlas);
      }

      clock.setWallTime(stepStart + STEP + 1);
      Map<String, Double> expected = atlasRates(atlas);
      Map<String, Double> actual = Snapshots.rates(ours.poll());
      assertThat(actual.keySet()).as("ids reported for step %d", step).isEqualTo(expected.keySet());
      for (Map.Entry<String, Double> e : expected.entrySet()) {
        double a = actual.get(e.getKey());
        double x = e.getValue();
        assertThat(Math.abs(a - x)).as("%s at step %d: ours %s, AtlasRegistry %s", e.getKey(), step, a, x)
            .isLessThanOrEqualTo(1e-9 * Math.max(Math.abs(x), Double.MIN_NORMAL));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(100);
  }

  private static void record(Random random, Registry ours, Registry atlas) {
    String name = NAMES[random.nextInt(NAMES.length)];
    String value = VALUES[random.nextInt(VALUES.length)];
    switch (random.nextInt(3)) {
      case 0 -> {
        double amount = switch (random.nextInt(6)) {
          case 0 -> -random.nextDouble();
          case 1 -> 0.0;
          case 2 -> Double.NaN;
          default -> random.nextDouble() * 100;
        };
        ours.counter(name + ".count", "k", value).add(amount);
        atlas.counter(name + ".count", "k", value).add(amount);
      }
      case 1 -> {
        long nanos = random.nextInt(10) == 0 ? -random.nextInt(1000) : (long) (random.nextDouble() * 5e9);
        ours.timer(name + ".time", "k", value).record(nanos, TimeUnit.NANOSECONDS);
        atlas.timer(name + ".time", "k", value).record(nanos, TimeUnit.NANOSECONDS);
      }
      default -> {
        long amount = random.nextInt(10) == 0 ? -random.nextInt(10) : random.nextInt(1_000_000);
        ours.distributionSummary(name + ".size", "k", value).record(amount);
        atlas.distributionSummary(name + ".size", "k", value).record(amount);
      }
    }
  }

  /** The consolidated values AtlasRegistry would publish for the last completed step. */
  static Map<String, Double> atlasRates(AtlasRegistry atlas) {
    Map<String, Double> out = new TreeMap<>();
    atlas.measurements().forEach((Measurement m) -> {
      if (m.id().name().startsWith("spectator.")) {
        return;
      }
      Map<String, String> tags = new TreeMap<>();
      for (Tag t : m.id().tags()) {
        if (!AtlasNames.DS_TYPE.equals(t.key())) {
          tags.put(t.key(), t.value());
        }
      }
      out.put(m.id().name() + tags, m.value());
    });
    return out;
  }

  /** A one-minute step, its lwc step the same, the default TTL, never started. */
  static AtlasConfig atlasConfig() {
    Map<String, String> settings = Map.of(
        "atlas.step", "PT1M",
        "atlas.lwc.step", "PT1M",
        "atlas.meterTTL", "PT15M",
        "atlas.autoStart", "false");
    return settings::get;
  }
}
