package io.github.spectatorboot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Measurement;
import com.netflix.spectator.api.Meter;
import com.netflix.spectator.api.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code Meter.measure()}: the last step's values, with ids made once per meter. */
class StepMeterMeasureTest {

  final ManualClock clock = new ManualClock();
  final StepRegistry registry = new StepRegistry(clock,
      new StepRegistryConfig(Duration.ofSeconds(10), Duration.ofMinutes(15), 1_000, Map.of()));

  static List<Measurement> measure(Meter meter) {
    List<Measurement> ms = new ArrayList<>();
    meter.measure().forEach(ms::add);
    return ms;
  }

  @Test
  void aTimerMeasuresItsLastStepAsRatesAndAMaxWithTheStatisticTag() {
    Timer timer = registry.timer("t", "k", "v");
    timer.record(2, TimeUnit.SECONDS);
    registry.poll(10_000);

    List<Measurement> ms = measure(timer);

    assertThat(ms).extracting(m -> m.id().tags().iterator().next().key()).containsOnly("k");
    assertThat(ms).extracting(m -> Utils.statistic(m.id()))
        .containsExactly("count", "totalTime", "totalOfSquares", "max");
    double[] expected = {0.1, 0.2, 0.4, 2.0};
    for (int i = 0; i < expected.length; i++) {
      assertThat(ms.get(i).value()).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(ms).extracting(Measurement::timestamp).containsOnly(10_000L);
  }

  @Test
  void repeatedMeasuresReuseTheIdsWithTheirStatisticTags() {
    Timer timer = registry.timer("t");
    timer.record(1, TimeUnit.MILLISECONDS);
    registry.poll(10_000);
    List<Measurement> first = measure(timer);
    timer.record(3, TimeUnit.MILLISECONDS);
    registry.poll(20_000);

    List<Measurement> second = measure(timer);

    for (int i = 0; i < first.size(); i++) {
      assertThat((Object) second.get(i).id()).isSameAs(first.get(i).id());
    }
    assertThat(second.get(3).value()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void aGaugeWithoutAValueMeasuresNothing() {
    var gauge = registry.gauge("g");

    assertThat(measure(gauge)).isEmpty();
  }

  /** Reads the statistic tag of an id. */
  static final class Utils {
    static String statistic(com.netflix.spectator.api.Id id) {
      return com.netflix.spectator.api.Utils.getTagValue(id, AtlasNames.STATISTIC);
    }
  }
}
