package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.impl.SwapMeter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of our timer record and of a lookup goes: the registry's paths taken apart, and
 * the primitives they are made of, each measured on its own. Not part of the suite that
 * {@link BenchmarkMain} runs by default; run it with
 * {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main CostBreakdown -prof gc}.
 *
 * <p>{@code threeAdders*} are the timer's record as it was before it moved to claimed cells (three
 * {@code LongAdder}/{@code DoubleAdder} adds and a compare-and-set max), kept to show what that
 * change saved.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CostBreakdown {

  private static final int MASK = 1023;

  private final long[] amounts = new long[MASK + 1];
  private int next;

  private Registry registry;
  private Timer timerHandle;
  private Timer timerUnwrapped;
  private Id heldId;
  private String name;
  private String key;
  private String value;

  private final LongAdder count = new LongAdder();
  private final LongAdder total = new LongAdder();
  private final DoubleAdder totalOfSquares = new DoubleAdder();
  private final MaxCell max = new MaxCell();

  @Setup public void setUp() {
    var random = new SplittableRandom(42);
    for (int i = 0; i < amounts.length; i++) {
      amounts[i] = random.nextLong(1_000L, 10_000_000L);
    }
    registry = Contender.create(Contender.STEP, false) instanceof StepContender c ? c.registry : null;
    timerHandle = registry.timer(Contender.TIMER_NAME);
    timerUnwrapped = (Timer) ((SwapMeter<?>) timerHandle).get();
    name = LookupBenchmark.NAME;
    key = LookupBenchmark.KEY;
    value = LookupBenchmark.tagValue(0);
    heldId = registry.createId(name, key, value);
    registry.counter(heldId).increment();
  }

  private long nextAmount() {
    int i = next;
    next = (i + 1) & MASK;
    return amounts[i];
  }

  // ---- timer record, taken apart ----

  /** What {@code RecordBenchmark.timerRecord} measures: through the {@code SwapTimer} handle. */
  @Benchmark public void timerViaHandle() {
    timerHandle.record(nextAmount(), TimeUnit.NANOSECONDS);
  }

  /** The registry's {@code StepTimer} itself, without the {@code SwapTimer} that {@code AbstractRegistry} wraps it in. */
  @Benchmark public void timerUnwrapped() {
    timerUnwrapped.record(nextAmount(), TimeUnit.NANOSECONDS);
  }

  /** One uncontended {@code LongAdder.add}: the unit cost, one atomic read-modify-write. */
  @Benchmark public void oneLongAdder() {
    total.add(nextAmount());
  }

  /** The previous {@code StepDistribution.recordValue} without the max: two {@code LongAdder}s and a {@code DoubleAdder}. */
  @Benchmark public void threeAdders() {
    long v = nextAmount();
    count.increment();
    total.add(v);
    totalOfSquares.add((double) v * v);
  }

  /** The previous {@code StepDistribution.recordValue}: the three adders and the compare-and-set max. */
  @Benchmark public void threeAddersAndMax() {
    long v = nextAmount();
    count.increment();
    total.add(v);
    totalOfSquares.add((double) v * v);
    max.update(v);
  }

  // ---- registry.counter(name, k, v).increment(), taken apart ----

  /** What {@code LookupBenchmark.lookupFixedId} measures. */
  @Benchmark public void lookupAndIncrement() {
    registry.counter(name, key, value).increment();
  }

  /** {@code createId(name, k, v)}: the id built on every call. */
  @Benchmark public Id createId() {
    return registry.createId(name, key, value);
  }

  /** {@code counter(id)} with an id built once: normalisation, the map lookup and the new {@code SwapCounter}. */
  @Benchmark public Counter counterOfHeldId() {
    return registry.counter(heldId);
  }

  /** {@code counter(id).increment()} with an id built once. */
  @Benchmark public void counterOfHeldIdAndIncrement() {
    registry.counter(heldId).increment();
  }

  /** The previous max of {@code StepDistribution}: a CAS only when the value is larger. */
  static final class MaxCell {
    private static final VarHandle MAX;

    static {
      try {
        MAX = MethodHandles.lookup().findVarHandle(MaxCell.class, "max", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile long max;

    void update(long v) {
      long current = max;
      while (v > current) {
        long witness = (long) MAX.compareAndExchange(this, current, v);
        if (witness == current) {
          return;
        }
        current = witness;
      }
    }
  }
}
