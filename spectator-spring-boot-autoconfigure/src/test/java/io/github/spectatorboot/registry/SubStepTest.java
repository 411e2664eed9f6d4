package io.github.spectatorboot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Registry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sub-steps (the LWC resolution) served from the publish step's meters: the published values do
 * not move by a bit, and the sub-steps add up to the publish step.
 */
class SubStepTest {

  private static final long STEP = 60_000;
  private static final long SUB = 5_000;
  private static final long T0 = 1_700_000_000_000L / STEP * STEP;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 2024})
  void publishedValuesAreIdenticalWithAndWithoutSubSteps(long seed) {
    Random random = new Random(seed);
    ManualClock clock = new ManualClock(T0, 0);
    StepRegistry plain = new StepRegistry(clock, StepRegistryConfig.defaults());
    StepRegistry streamed = new StepRegistry(clock, StepRegistryConfig.defaults());
    for (int step = 0; step < 6; step++) {
      // the sub-steps stop for a while in the middle, and start again
      boolean subSteps = step != 3;
      for (int sub = 1; sub <= STEP / SUB; sub++) {
        int events = random.nextInt(40);
        for (int e = 0; e < events; e++) {
          record(random, plain, streamed);
        }
        long end = T0 + step * STEP + sub * SUB;
        if (sub == STEP / SUB) {
          // the publish poll comes before the sub-step at the boundary on odd steps, after it on even ones
          if (step % 2 == 0 && subSteps) {
            streamed.pollSubStep(end, SUB);
          }
          assertIdentical(plain.poll(end), streamed.poll(end), step);
          if (step % 2 == 1 && subSteps) {
            streamed.pollSubStep(end, SUB);
          }
        } else if (subSteps) {
          streamed.pollSubStep(end, SUB);
        } else if (sub == 1) {
          streamed.stopSubSteps();
        }
      }
    }
  }

  @Test
  void subStepsAddUpToThePublishStepAcrossTheBoundaryWhicheverComesFirst() {
    ManualClock clock = new ManualClock(T0, 0);
    StepRegistry r = new StepRegistry(clock, StepRegistryConfig.defaults());
    var counter = r.counter("c");
    var timer = r.timer("t");
    var max = r.maxGauge("m");
    r.pollSubStep(T0, SUB); // takes readings only
    List<StepSnapshot> subs = new ArrayList<>();
    for (int sub = 1; sub <= 24; sub++) {
      counter.increment(sub);
      timer.record(sub, TimeUnit.MILLISECONDS);
      max.set(sub % 12 == 0 ? 1 : 100 - sub);
      long end = T0 + sub * SUB;
      if (sub == 12) {
        // values recorded after the sub-step but before the publish poll belong to the next sub-step
        StepSnapshot s = r.pollSubStep(end, SUB);
        subs.add(s);
        counter.increment(1000);
        timer.record(1000, TimeUnit.MILLISECONDS);
        StepSnapshot published = r.poll(end);
        assertThat(value(published, "c", "count")).isEqualTo(78 + 1000);
        assertThat(value(published, "t", "max")).isEqualTo(1.0);
        assertThat(value(published, "m", "max")).isEqualTo(99.0);
      } else {
        subs.add(r.pollSubStep(end, SUB));
      }
    }
    assertThat(value(subs.get(0), "c", "count")).isEqualTo(1.0);
    assertThat(value(subs.get(11), "c", "count")).isEqualTo(12.0);
    assertThat(value(subs.get(12), "c", "count")).isEqualTo(1000 + 13.0);
    assertThat(value(subs.get(12), "t", "max")).isEqualTo(1.0);
    assertThat(value(subs.get(12), "t", "count")).isEqualTo(2.0);
    assertThat(value(subs.get(13), "t", "max")).isEqualTo(0.014);
    assertThat(value(subs.get(11), "m", "max")).isEqualTo(1.0);
    assertThat(value(subs.get(12), "m", "max")).isEqualTo(87.0);
    assertThat(subs.get(5).stepMillis()).isEqualTo(SUB);
    assertThat(subs.get(5).timestamp()).isEqualTo(T0 + 6 * SUB);
    assertThat(subs.get(5).id(0).tags()).anyMatch(t -> t.key().equals(AtlasNames.DS_TYPE));
  }

  @Test
  void theFirstSubStepAfterAGapOnlyTakesReadings() {
    ManualClock clock = new ManualClock(T0, 0);
    StepRegistry r = new StepRegistry(clock, StepRegistryConfig.defaults());
    r.counter("c").increment(5);
    assertThat(r.pollSubStep(T0 + SUB, SUB).isEmpty()).isTrue();
    r.counter("c").increment(2);
    assertThat(value(r.pollSubStep(T0 + 2 * SUB, SUB), "c", "count")).isEqualTo(2.0);
    r.counter("c").increment(3);
    // skipped one: the difference would cover two sub-steps
    assertThat(r.pollSubStep(T0 + 4 * SUB, SUB).isEmpty()).isTrue();
    r.counter("n").increment(4);
    assertThat(value(r.pollSubStep(T0 + 5 * SUB, SUB), "n", "count")).isEqualTo(4.0);
  }

  @Test
  void aReadingWithoutValuesLetsTheNextSubStepReportInFullAndMovesNoPublishedValue() {
    ManualClock clock = new ManualClock(T0, 0);
    StepRegistry plain = new StepRegistry(clock, StepRegistryConfig.defaults());
    StepRegistry r = new StepRegistry(clock, StepRegistryConfig.defaults());
    for (StepRegistry x : List.of(plain, r)) {
      x.counter("c").increment(5);
      x.timer("t").record(7, TimeUnit.SECONDS);
    }
    r.readSubStep(T0 + SUB, SUB);
    r.readSubStep(T0 + 2 * SUB, SUB);
    for (StepRegistry x : List.of(plain, r)) {
      x.counter("c").increment(2);
      x.timer("t").record(3, TimeUnit.SECONDS);
    }
    StepSnapshot sub = r.pollSubStep(T0 + 3 * SUB, SUB);
    assertThat(value(sub, "c", "count")).isEqualTo(2.0);
    assertThat(value(sub, "t", "count")).isEqualTo(1.0);
    assertThat(value(sub, "t", "max")).isEqualTo(3.0);
    assertIdentical(plain.poll(T0 + STEP), r.poll(T0 + STEP), 0);
  }

  private static double value(StepSnapshot s, String name, String statistic) {
    for (int i = 0; i < s.size(); i++) {
      if (s.id(i).name().equals(name) && s.statistic(i).equals(statistic)) {
        return s.delta(i);
      }
    }
    throw new AssertionError(name + " " + statistic + " not in " + s.measurements());
  }

  private static void assertIdentical(StepSnapshot expected, StepSnapshot actual, int step) {
    Map<String, Long> e = bits(expected);
    Map<String, Long> a = bits(actual);
    assertThat(a).as("published values at step %d", step).isEqualTo(e);
    assertThat(e).isNotEmpty();
  }

  private static Map<String, Long> bits(StepSnapshot s) {
    Map<String, Long> out = new HashMap<>();
    for (int i = 0; i < s.size(); i++) {
      out.put(s.id(i) + ":" + s.statistic(i) + ":" + s.isRate(i), Double.doubleToRawLongBits(s.delta(i)));
    }
    return out;
  }

  private static void record(Random random, Registry a, Registry b) {
    String k = "v" + random.nextInt(3);
    switch (random.nextInt(5)) {
      case 0 -> {
        double amount = random.nextDouble() * 100;
        a.counter("c", "k", k).add(amount);
        b.counter("c", "k", k).add(amount);
      }
      case 1 -> {
        long nanos = random.nextInt(10) == 0 ? -1 : (long) (random.nextDouble() * 5e9);
        a.timer("t", "k", k).record(nanos, TimeUnit.NANOSECONDS);
        b.timer("t", "k", k).record(nanos, TimeUnit.NANOSECONDS);
      }
      case 2 -> {
        long amount = random.nextInt(1_000_000);
        a.distributionSummary("d", "k", k).record(amount);
        b.distributionSummary("d", "k", k).record(amount);
      }
      case 3 -> {
        // -0.0 and 0.0 compare equal: the first one set must stay, as without sub-steps
        double v = switch (random.nextInt(4)) {
          case 0 -> 0.0;
          case 1 -> -0.0;
          default -> random.nextDouble();
        };
        a.maxGauge("m", "k", k).set(v);
        b.maxGauge("m", "k", k).set(v);
      }
      default -> {
        double v = random.nextGaussian();
        a.gauge("g", "k", k).set(v);
        b.gauge("g", "k", k).set(v);
      }
    }
  }
}
