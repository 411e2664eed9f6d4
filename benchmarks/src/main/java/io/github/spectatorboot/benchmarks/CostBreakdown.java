package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.impl.SwapMeter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>The {@code prototype*} benchmarks are sketches of changes to the registry, in this module
 * only to size the gain; they are not the registry's code.
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
  private final XaddCell xadd = new XaddCell();
  private final ClaimedCell claimed = new ClaimedCell();
  private NameTagCache cache;

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
    cache = new NameTagCache(registry);
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

  /** {@code StepDistribution.recordValue} without the max: two {@code LongAdder}s and a {@code DoubleAdder}. */
  @Benchmark public void threeAdders() {
    long v = nextAmount();
    count.increment();
    total.add(v);
    totalOfSquares.add((double) v * v);
  }

  /** A copy of {@code StepDistribution.recordValue}: the three adders and the compare-and-set max. */
  @Benchmark public void threeAddersAndMax() {
    long v = nextAmount();
    count.increment();
    total.add(v);
    totalOfSquares.add((double) v * v);
    max.update(v);
  }

  /**
   * Sketch: the same four statistics as plain fields of one object, counts and totals with
   * {@code getAndAdd} (one {@code lock xadd}, no load and no retry), the double with a CAS loop.
   * Uncontended path only: a real meter would need striping for contention, as {@code LongAdder} has.
   */
  @Benchmark public void prototypeXaddCell() {
    xadd.record(nextAmount());
  }

  /**
   * Sketch: one CAS claims the cell, the four statistics are plain writes, a release store frees
   * it: one atomic per record instead of three. A writer that finds the cell claimed would move
   * to another stripe rather than wait; the poll would claim each cell to read and reset it.
   * Uncontended path only.
   */
  @Benchmark public void prototypeClaimedCell() {
    claimed.record(nextAmount());
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

  /**
   * Sketch: {@code counter(name, k, v)} answered from a name, key, value cache of the handles the
   * registry returned, so the common call builds no id and allocates nothing.
   */
  @Benchmark public void prototypeNameTagCache() {
    cache.counter(name, key, value).increment();
  }

  /** The max of {@code StepDistribution}: a CAS only when the value is larger. */
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

  /** See {@link #prototypeXaddCell()}. */
  static final class XaddCell {
    private static final VarHandle COUNT;
    private static final VarHandle TOTAL;
    private static final VarHandle SQUARES;

    static {
      try {
        var lookup = MethodHandles.lookup();
        COUNT = lookup.findVarHandle(XaddCell.class, "count", long.class);
        TOTAL = lookup.findVarHandle(XaddCell.class, "total", long.class);
        SQUARES = lookup.findVarHandle(XaddCell.class, "squaresBits", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @SuppressWarnings("unused") private volatile long count;
    @SuppressWarnings("unused") private volatile long total;
    private volatile long squaresBits;
    private final MaxCell max = new MaxCell();

    void record(long v) {
      COUNT.getAndAdd(this, 1L);
      if (v > 0) {
        TOTAL.getAndAdd(this, v);
        double sq = (double) v * v;
        long bits = squaresBits;
        while (true) {
          long witness = (long) SQUARES.compareAndExchange(this, bits,
              Double.doubleToRawLongBits(Double.longBitsToDouble(bits) + sq));
          if (witness == bits) {
            break;
          }
          bits = witness;
        }
        max.update(v);
      }
    }
  }

  /** See {@link #prototypeClaimedCell()}. */
  static final class ClaimedCell {
    private static final VarHandle CLAIMED;

    static {
      try {
        CLAIMED = MethodHandles.lookup().findVarHandle(ClaimedCell.class, "claimed", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @SuppressWarnings("unused") private volatile int claimed;
    private long count;
    private long total;
    private double totalOfSquares;
    private long max;

    void record(long v) {
      while (!CLAIMED.compareAndSet(this, 0, 1)) {
        Thread.onSpinWait(); // a real meter would try another stripe here
      }
      count++;
      if (v > 0) {
        total += v;
        totalOfSquares += (double) v * v;
        if (v > max) {
          max = v;
        }
      }
      CLAIMED.setRelease(this, 0);
    }
  }

  /** See {@link #prototypeNameTagCache()}. Handles stay valid across expiry: they are {@code SwapCounter}s. */
  static final class NameTagCache {
    private final Registry registry;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>>> counters =
        new ConcurrentHashMap<>();

    NameTagCache(Registry registry) {
      this.registry = registry;
    }

    Counter counter(String name, String key, String value) {
      var byKey = counters.get(name);
      if (byKey != null) {
        var byValue = byKey.get(key);
        if (byValue != null) {
          Counter c = byValue.get(value);
          if (c != null) {
            return c;
          }
        }
      }
      Counter c = registry.counter(name, key, value);
      counters.computeIfAbsent(name, n -> new ConcurrentHashMap<>())
          .computeIfAbsent(key, k -> new ConcurrentHashMap<>())
          .putIfAbsent(value, c);
      return c;
    }
  }
}
