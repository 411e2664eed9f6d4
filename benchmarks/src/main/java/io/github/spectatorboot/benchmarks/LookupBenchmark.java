package io.github.spectatorboot.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code registry.counter(name, "k", v).increment()}: the id is built, normalised and looked up on
 * every call, as in code that does not hold its meters. The meters exist before measuring starts,
 * so this is the steady state, not meter creation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// the lookup path is large: on a busy 2-core machine C2 needs several seconds to settle
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LookupBenchmark {

  static final int IDS = 1_000;
  static final String NAME = "bench.lookup";
  static final String KEY = "k";

  @Param({Contender.STEP, Contender.ATLAS, Contender.MICROMETER})
  public String registry;

  private Contender contender;

  @Setup public void setUp() {
    contender = Contender.create(registry, false);
    for (int i = 0; i < IDS; i++) {
      contender.lookupAndIncrement(NAME, KEY, tagValue(i));
    }
  }

  /** The strings of each call, computed in advance and read from fields so none is a constant. */
  @State(Scope.Thread)
  public static class Ids {
    private String name;
    private String key;
    private String fixedValue;
    private String[] values;
    private int next;

    @Setup public void setUp() {
      name = NAME;
      key = KEY;
      values = new String[IDS];
      for (int i = 0; i < IDS; i++) {
        values[i] = tagValue(i);
      }
      fixedValue = values[0];
    }

    String nextValue() {
      int i = next;
      next = i + 1 == values.length ? 0 : i + 1;
      return values[i];
    }
  }

  @Benchmark public void lookupFixedId(Ids ids) {
    contender.lookupAndIncrement(ids.name, ids.key, ids.fixedValue);
  }

  @Benchmark public void lookupThousandIds(Ids ids) {
    contender.lookupAndIncrement(ids.name, ids.key, ids.nextValue());
  }

  static String tagValue(int i) {
    return "v" + i;
  }
}
