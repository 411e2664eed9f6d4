package io.github.spectatorboot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Timer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code counter(name, tags...)}, {@code timer(...)} and {@code distributionSummary(...)} cache their handles. */
class StepRegistryLookupCacheTest {

  private static final long STEP = 60_000;
  private static final long T0 = 1_700_000_000_000L / STEP * STEP;
  /** Polls after which a meter idle since the first one has been removed (ttl 15 steps). */
  private static final int STEPS_TO_EXPIRE = 17;

  private ManualClock clock;
  private StepRegistry registry;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(T0, 0);
    registry = new StepRegistry(clock, StepRegistryConfig.defaults());
  }

  /** Moves the clock to the end of the step in progress and polls it. */
  private StepSnapshot nextStep(StepRegistry r) {
    long end = r.lastPollTimestamp() + STEP;
    clock.setWallTime(end + 1);
    return r.poll();
  }

  private StepSnapshot nextStep() {
    return nextStep(registry);
  }

  @Test
  void aRepeatedLookupWithEqualStringsReturnsTheSameHandle() {
    Counter c = registry.counter("c", "k", "v");
    Timer t = registry.timer("t", "k", "v");
    DistributionSummary d = registry.distributionSummary("d", "k", "v");

    // equal strings, not the same instances, in a new array
    String[] tags = {new String("k"), new String("v")};
    assertThat(registry.counter(new String("c"), tags)).isSameAs(c);
    assertThat(registry.timer(new String("t"), tags)).isSameAs(t);
    assertThat(registry.distributionSummary(new String("d"), tags)).isSameAs(d);
    assertThat(registry.cachedLookups()).isEqualTo(3);
  }

  @Test
  void countersTimersAndSummariesOfOneNameAreCachedSeparately() {
    registry.counter("x", "k", "counter");
    registry.timer("y", "k", "timer");

    assertThat(registry.counter("x", "k", "counter")).isInstanceOf(Counter.class);
    assertThat(registry.timer("y", "k", "timer")).isInstanceOf(Timer.class);
    assertThat(registry.counter("y", "k", "timer")).isNotSameAs(registry.timer("y", "k", "timer"));
  }

  @Test
  void aCallerChangingItsTagArrayAfterALookupDoesNotChangeTheCachedEntry() {
    String[] tags = {"k", "a"};
    registry.counter("c", tags).increment();
    tags[1] = "b";
    registry.counter("c", tags).increment(2);

    assertThat(Snapshots.deltas(nextStep())).containsExactly(
        Map.entry("c{k=a, statistic=count}", 1.0),
        Map.entry("c{k=b, statistic=count}", 2.0));
  }

  @Test
  void tagsInAnotherOrderOrDifferingOnlyInInvalidCharactersShareOneMeter() {
    registry.counter("c", "a", "1", "b", "x y").increment();
    registry.counter("c", "b", "x y", "a", "1").increment(2);
    registry.counter("c", "a", "1", "b", "x_y").increment(4);
    registry.counter("c", "a", "1", "b", "x!y").increment(8);
    registry.counter("c", "b", "x y", "a", "1").increment(16);

    assertThat(Snapshots.deltas(nextStep())).containsExactly(Map.entry("c{a=1, b=x_y, statistic=count}", 31.0));
  }

  @Test
  void aCachedHandleKeepsCountingAfterItsMeterExpiredAndThePollThatRemovesMetersClearsTheCache() {
    Counter held = registry.counter("c", "k", "v");
    assertThat(registry.counter("c", "k", "v")).isSameAs(held);
    held.increment();
    assertThat(registry.cachedLookups()).isEqualTo(1);

    for (int i = 0; i < STEPS_TO_EXPIRE; i++) {
      nextStep();
    }
    assertThat(Snapshots.deltas(nextStep())).isEmpty();
    assertThat(registry.cachedLookups()).isZero();

    held.increment(3);
    registry.counter("c", "k", "v").increment(4);

    assertThat(Snapshots.deltas(nextStep())).containsExactly(Map.entry("c{k=v, statistic=count}", 7.0));
    assertThat(registry.cachedLookups()).isEqualTo(1);
  }

  @Test
  void aNoopHandleGivenBecauseMaxMetersWasReachedIsNotCachedSoALaterLookupGetsARealMeter() {
    // the registry's own counter is one of the three
    StepRegistry r = new StepRegistry(clock, StepRegistryConfig.defaults().withMaxMeters(3));
    r.counter("a", "k", "1").increment();
    r.timer("b", "k", "1").record(1, TimeUnit.SECONDS);
    r.counter("c", "k", "1").increment();
    r.timer("d", "k", "1").record(1, TimeUnit.SECONDS);
    r.distributionSummary("e", "k", "1").record(1);
    assertThat(r.cachedLookups()).isEqualTo(2);
    assertThat(Snapshots.deltas(nextStep(r))).containsOnlyKeys(
        "a{k=1, statistic=count}", "b{k=1, statistic=count}", "b{k=1, statistic=totalTime}",
        "b{k=1, statistic=totalOfSquares}", "b{k=1, statistic=max}");

    for (int i = 0; i < STEPS_TO_EXPIRE; i++) {
      nextStep(r);
    }
    r.counter("c", "k", "1").increment();
    r.distributionSummary("e", "k", "1").record(5);

    assertThat(Snapshots.deltas(nextStep(r))).containsEntry("c{k=1, statistic=count}", 1.0)
        .containsEntry("e{k=1, statistic=totalAmount}", 5.0);
  }

  @Test
  void aNoopHandleGivenForATypeConflictIsNotCachedSoALaterLookupGetsARealMeter() {
    registry.timer("x", "k", "v").record(1, TimeUnit.SECONDS);
    registry.counter("x", "k", "v").increment();
    assertThat(registry.cachedLookups()).isEqualTo(1);

    for (int i = 0; i < STEPS_TO_EXPIRE; i++) {
      nextStep();
    }
    registry.counter("x", "k", "v").increment(2);

    assertThat(Snapshots.deltas(nextStep())).containsExactly(Map.entry("x{k=v, statistic=count}", 2.0));
  }

  @Test
  void invalidInputStillGivesNoopMetersWithoutThrowingAndIsNotCached() {
    assertThatCode(() -> {
      registry.counter(null, "k", "v").increment();
      registry.counter("c", "k").increment();
      registry.counter("c", "k", null).increment();
      registry.counter("c", (String[]) null).increment();
      registry.timer(null, "k", "v").record(1, TimeUnit.SECONDS);
      registry.timer("t", "k").record(1, TimeUnit.SECONDS);
      registry.distributionSummary(null, "k", "v").record(1);
      registry.distributionSummary("d", "k").record(1);
    }).doesNotThrowAnyException();

    assertThat(registry.cachedLookups()).isZero();
    assertThat(Snapshots.deltas(nextStep())).isEmpty();
  }

  @Test
  void eachCacheStopsGrowingAtMaxMetersEntries() {
    StepRegistry r = new StepRegistry(clock, StepRegistryConfig.defaults().withMaxMeters(3));
    // ten spellings of one id: one meter, ten different sets of strings
    for (int i = 0; i < 10; i++) {
      r.counter("c", "k", "v" + (char) ('!' + i) + "1").increment();
    }

    assertThat(r.cachedLookups()).isEqualTo(3);
    assertThat(Snapshots.deltas(nextStep(r))).containsExactly(Map.entry("c{k=v_1, statistic=count}", 10.0));
  }

  @Test
  void concurrentLookupsOfTheSameIdsLoseNoIncrement() throws InterruptedException {
    int threads = 4;
    int perThread = 20_000;
    String[] values = new String[100];
    for (int i = 0; i < values.length; i++) {
      values[i] = "v" + i;
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perThread; i++) {
          registry.counter("c", "k", values[i % values.length]).increment();
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }

    Map<String, Double> deltas = Snapshots.deltas(nextStep());
    assertThat(deltas).hasSize(values.length);
    assertThat(deltas.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo((double) threads * perThread);
    assertThat(registry.cachedLookups()).isEqualTo(values.length);
  }

  @Test
  void aLookupThatHitsTheCacheAllocatesNothing() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    StepRegistry r = new StepRegistry();
    // the varargs array is the caller's allocation, left out by C2 only once the call is compiled
    // (see LookupCache.copyOf), so the loop passes one array; what is measured is the registry's
    // part: hash, cache, increment
    String[] tags = {"k", "v"};
    lookUpAndIncrement(r, tags, 20_000); // warm up: class loading and the interpreter's first allocations

    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    lookUpAndIncrement(r, tags, 100_000);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    // the uncached path allocates over 100 bytes per lookup: this would be megabytes. The slack
    // covers the measurement itself.
    assertThat(allocated).isLessThan(1_024);
  }

  private static void lookUpAndIncrement(StepRegistry r, String[] tags, int n) {
    for (int i = 0; i < n; i++) {
      r.counter("c", tags).increment();
    }
  }
}
