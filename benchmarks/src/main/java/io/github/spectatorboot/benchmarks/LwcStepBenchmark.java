package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.atlas.AtlasConfig;
import com.netflix.spectator.atlas.AtlasRegistry;
import com.netflix.spectator.atlas.impl.EvalPayload;
import com.netflix.spectator.atlas.impl.Evaluator;
import com.netflix.spectator.atlas.impl.EvaluatorConfig;
import com.netflix.spectator.atlas.impl.Subscription;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.github.spectatorboot.registry.StepSnapshot;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One LWC step over 100,000 counters, each updated during the step, with 0, 10, 100 or 1,000
 * subscriptions ({@code name,m<i>,:eq,:sum}, each matching 100 meters): ours
 * ({@code StepRegistry.pollSubStep} into spectator-reg-atlas's {@code Evaluator}, what
 * {@code LwcStreamer.tick} does before posting; with no subscription only the readings,
 * {@code StepRegistry.readSubStep}) next to
 * {@code AtlasRegistry}'s {@code sendToLWC} before its POST ({@code pollMeters}, which it runs
 * every LWC step whatever the subscriptions, and {@code Evaluator.eval}). The POST is left out of
 * both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class LwcStepBenchmark {

  static final int METERS = 100_000;
  static final long STEP = 5_000;
  static final Map<String, String> COMMON_TAGS = Map.of("nf.app", "bench", "nf.cluster", "bench-main");

  @State(Scope.Benchmark)
  public static class Step {

    @Param({"step", "atlas"})
    public String registry;

    @Param({"0", "10", "100", "1000"})
    public int subscriptions;

    ManualClock clock;
    Counter[] counters;
    long t;

    StepRegistry ours;
    Evaluator ourEvaluator;
    List<Subscription> subs;

    AtlasRegistry atlas;
    Method pollMeters;
    Evaluator atlasEvaluator;

    @Setup(Level.Trial) public void setUp() throws ReflectiveOperationException {
      clock = new ManualClock(1_700_000_000_000L / 60_000 * 60_000, 0);
      t = clock.wallTime();
      subs = new ArrayList<>();
      for (int i = 0; i < subscriptions; i++) {
        subs.add(new Subscription().withId("s" + i).withExpression("name,m" + i + ",:eq,:sum")
            .withExprType("TIME_SERIES").withFrequency(STEP));
      }
      counters = new Counter[METERS];
      if ("step".equals(registry)) {
        ours = new StepRegistry(clock, StepRegistryConfig.defaults().withCommonTags(COMMON_TAGS));
        ourEvaluator = new Evaluator(new EvaluatorConfig() {
          @Override public long evaluatorStepSize() {
            return STEP;
          }

          @Override public Map<String, String> commonTags() {
            return COMMON_TAGS;
          }
        });
        ourEvaluator.sync(subs);
        for (int i = 0; i < METERS; i++) {
          counters[i] = ours.counter("m" + (i % 1000), "k", Integer.toString(i));
        }
      } else {
        Map<String, String> settings = Map.of("atlas.step", "PT1M", "atlas.lwc.step", "PT5S",
            "atlas.lwc.enabled", "true", "atlas.enabled", "false", "atlas.autoStart", "false");
        atlas = new AtlasRegistry(clock, new AtlasConfig() {
          @Override public String get(String k) {
            return settings.get(k);
          }

          @Override public Map<String, String> commonTags() {
            return COMMON_TAGS;
          }
        });
        pollMeters = AtlasRegistry.class.getDeclaredMethod("pollMeters", long.class);
        pollMeters.setAccessible(true);
        Field evaluator = AtlasRegistry.class.getDeclaredField("evaluator");
        evaluator.setAccessible(true);
        atlasEvaluator = (Evaluator) evaluator.get(atlas);
        atlasEvaluator.sync(subs);
        for (int i = 0; i < METERS; i++) {
          counters[i] = atlas.counter("m" + (i % 1000), "k", Integer.toString(i));
        }
      }
      // two steps before measuring: creation, first readings and first-step costs stay out
      for (int i = 0; i < 2; i++) {
        nextStep();
        step();
      }
      System.gc();
    }

    @Setup(Level.Invocation) public void nextStep() {
      for (Counter c : counters) {
        c.increment();
      }
      t += STEP;
      clock.setWallTime(t + 1);
    }

    int step() throws ReflectiveOperationException {
      if (ours != null) {
        if (subs.isEmpty()) {
          // readings only, as LwcStreamer.tick takes them while nothing is subscribed
          ours.readSubStep(t, STEP);
          return 0;
        }
        StepSnapshot values = ours.pollSubStep(t, STEP);
        for (int i = 0; i < values.size(); i++) {
          ourEvaluator.update(values.id(i), t, values.rate(i));
        }
        EvalPayload payload = ourEvaluator.eval(t);
        return payload.getMetrics().size();
      }
      pollMeters.invoke(atlas, t);
      return atlasEvaluator.eval(t).getMetrics().size();
    }

    @TearDown(Level.Trial) public void tearDown() {
      if (atlas != null) {
        atlas.close();
      }
    }
  }

  @Benchmark public int lwcStep(Step s) throws ReflectiveOperationException {
    return s.step();
  }
}
