package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.ManualClock;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.github.spectatorboot.registry.StepSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeasurementCacheTest {

  final ManualClock clock = new ManualClock();
  final StepRegistry registry = new StepRegistry(clock, new StepRegistryConfig(Duration.ofMinutes(1),
      Duration.ofMinutes(2), 100_000, Map.of()));
  final List<String> derived = new ArrayList<>();
  final MeasurementCache<String> cache = new MeasurementCache<>((id, statistic, rate) -> {
    String value = id.name() + "/" + statistic + "/" + rate;
    derived.add(value);
    return value;
  });

  StepSnapshot nextStep() {
    clock.setWallTime(clock.wallTime() + 60_000);
    return registry.poll();
  }

  /** Looks every measurement up and checks it got the value of its own id and statistic. */
  boolean step(StepSnapshot s) {
    cache.startStep(s.size());
    for (int i = 0; i < s.size(); i++) {
      assertThat(cache.get(s, i)).isEqualTo(s.id(i).name() + "/" + s.statistic(i) + "/" + s.isRate(i));
    }
    return cache.endStep();
  }

  @Test
  void aValueIsDerivedOnceWhileItsMeterReports() {
    recordSteadily();
    step(nextStep());
    int first = derived.size();
    // the registry's own meters report too
    assertThat(first).isGreaterThanOrEqualTo(5_000 + 5_000 * 4);
    for (int k = 0; k < 3; k++) {
      recordSteadily();
      StepSnapshot s = nextStep();
      assertThat(step(s)).as("nothing dropped in a steady step: %s of %d ids", s, cache.ids()).isFalse();
    }
    assertThat(derived).hasSize(first);
  }

  void recordSteadily() {
    for (int i = 0; i < 5_000; i++) {
      registry.counter("c" + i).increment();
      registry.timer("t" + i).record(Duration.ofMillis(i));
    }
  }

  @Test
  void measurementsAtNewPositionsFindTheirValuesByIdAndIdsGoneAreDropped() {
    for (int i = 0; i < 1_000; i++) {
      registry.counter("old" + i).increment();
    }
    step(nextStep());
    int first = derived.size();
    // new meters move the old ones around; then the old ones expire
    for (int k = 0; k < 4; k++) {
      for (int i = 0; i < 1_000; i++) {
        registry.counter("new" + i).increment();
      }
      step(nextStep());
    }
    assertThat(derived).hasSize(first + 1_000);
    assertThat(cache.ids()).isLessThanOrEqualTo(1_000 + 1_000 / 2 + 16);
  }
}
