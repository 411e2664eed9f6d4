package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchCompressorTest {

  final ExecutorService pool = Executors.newFixedThreadPool(3);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** A worker whose body for batch b is {b}; records the threads it ran on and whether it was closed. */
  static final class Recording implements BatchCompressor.Worker {
    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();
    final List<Recording> all;
    boolean closed;

    Recording(List<Recording> all) {
      this.all = all;
      all.add(this);
    }

    @Override public byte[] encode(int batch) {
      THREADS.add(Thread.currentThread().getName());
      return new byte[] {(byte) batch};
    }

    @Override public void close() {
      closed = true;
    }
  }

  @Test
  void bodiesComeBackInBatchOrderAndEveryWorkerIsClosed() {
    List<Recording> workers = new CopyOnWriteArrayList<>();
    BatchCompressor compressor = new BatchCompressor(pool, 4);

    byte[][] bodies = compressor.run(100, () -> new Recording(workers));

    for (int b = 0; b < 100; b++) {
      assertThat(bodies[b]).containsExactly((byte) b);
    }
    assertThat(workers).hasSizeBetween(1, 4).allSatisfy(w -> assertThat(w.closed).isTrue());
  }

  @Test
  void anExecutorThatNeverRunsItsTasksLeavesEveryBatchToTheCallingThread() {
    List<Runnable> neverRun = new ArrayList<>();
    List<Recording> workers = new CopyOnWriteArrayList<>();
    Recording.THREADS.clear();

    byte[][] bodies = new BatchCompressor(neverRun::add, 4).run(10, () -> new Recording(workers));

    assertThat(bodies).hasNumberOfRows(10);
    assertThat(neverRun).hasSize(3);
    assertThat(Recording.THREADS).containsExactly(Thread.currentThread().getName());
    // a task that runs late finds nothing left, and makes no worker
    neverRun.forEach(Runnable::run);
    assertThat(workers).hasSize(1);
  }

  @Test
  void aRejectingExecutorMakesTheStepSerial() {
    List<Recording> workers = new CopyOnWriteArrayList<>();
    BatchCompressor compressor = new BatchCompressor(task -> {
      throw new RejectedExecutionException("shut down");
    }, 4);

    byte[][] bodies = compressor.run(5, () -> new Recording(workers));

    assertThat(bodies[4]).containsExactly((byte) 4);
    assertThat(workers).hasSize(1);
  }

  @Test
  void aFailingBatchFailsTheStepAfterEveryWorkerStopped() {
    AtomicInteger created = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    AtomicInteger encoded = new AtomicInteger();
    BatchCompressor compressor = new BatchCompressor(pool, 3);

    assertThatThrownBy(() -> compressor.run(50, () -> new BatchCompressor.Worker() {
      {
        created.incrementAndGet();
      }

      @Override public byte[] encode(int batch) {
        encoded.incrementAndGet();
        if (batch == 7) {
          throw new IllegalStateException("batch 7");
        }
        return new byte[0];
      }

      @Override public void close() {
        closed.incrementAndGet();
      }
    })).isInstanceOf(IllegalStateException.class).hasMessage("batch 7");
    assertThat(encoded.get()).isBetween(1, 50);
    assertThat(closed.get()).isPositive().isEqualTo(created.get());
  }

  @Test
  void parallelismMustBePositive() {
    assertThatThrownBy(() -> new BatchCompressor(pool, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
