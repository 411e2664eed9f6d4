package io.github.spectatorboot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Recording threads race many polls and peeks; every value must land in exactly one snapshot. */
class ConcurrentPollTest {

  private static final int THREADS = 4;
  private static final int RECORDS_PER_THREAD = 200_000;

  @Test
  void everyValueRecordedWhilePollsRunLandsInExactlyOneStep() throws Exception {
    ManualClock clock = new ManualClock(0, 0);
    StepRegistry registry = new StepRegistry(clock, StepRegistryConfig.defaults());
    Counter counter = registry.counter("c");
    Timer timer = registry.timer("t");
    DistributionSummary summary = registry.distributionSummary("d");

    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> recorders = new ArrayList<>();
    for (int n = 0; n < THREADS; n++) {
      Thread t = new Thread(() -> {
        awaitQuietly(start);
        for (int i = 1; i <= RECORDS_PER_THREAD; i++) {
          counter.increment();
          timer.record(i % 1000, TimeUnit.MICROSECONDS);
          summary.record(i % 7);
          // also through a fresh lookup, the way most applications record
          registry.counter("c").add(0.5);
        }
      });
      t.start();
      recorders.add(t);
    }

    // the endpoint's view of the step in progress claims the same cells as the poll: it must
    // neither block the poll for good nor change what the poll reports
    AtomicBoolean peeking = new AtomicBoolean(true);
    int[] peeks = new int[1];
    Thread peeker = new Thread(() -> {
      awaitQuietly(start);
      while (peeking.get()) {
        registry.peek();
        peeks[0]++;
      }
    });
    peeker.start();

    double counted = 0;
    double timerCount = 0;
    double timerSeconds = 0;
    double summaryTotal = 0;
    long step = 0;
    start.countDown();
    int polls = 0;
    while (!done.get()) {
      done.set(recorders.stream().noneMatch(Thread::isAlive));
      // one millisecond per poll: thousands of polls stay far from the meter TTL, which has its
      // own test (StepRegistryTest), so this one is only about values racing the rollover
      StepSnapshot s = registry.poll(++step);
      polls++;
      var d = Snapshots.deltas(s);
      counted += d.getOrDefault("c{statistic=count}", 0.0);
      timerCount += d.getOrDefault("t{statistic=count}", 0.0);
      timerSeconds += d.getOrDefault("t{statistic=totalTime}", 0.0);
      summaryTotal += d.getOrDefault("d{statistic=totalAmount}", 0.0);
    }
    for (Thread t : recorders) {
      t.join();
    }
    peeking.set(false);
    peeker.join();

    long expectedMicros = 0;
    long expectedAmount = 0;
    for (int i = 1; i <= RECORDS_PER_THREAD; i++) {
      expectedMicros += i % 1000;
      expectedAmount += i % 7;
    }
    assertThat(polls).isGreaterThan(1);
    assertThat(peeks[0]).isPositive();
    assertThat(counted).isEqualTo(THREADS * RECORDS_PER_THREAD * 1.5);
    assertThat(timerCount).isEqualTo((double) THREADS * RECORDS_PER_THREAD);
    assertThat(timerSeconds).isCloseTo(THREADS * expectedMicros * 1e-6, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(summaryTotal).isEqualTo((double) THREADS * expectedAmount);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
