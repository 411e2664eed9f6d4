package io.github.spectatorboot.publish;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Writes and deflates the request bodies of one step, which are independent of each other, on
 * the calling thread and up to {@code parallelism - 1} threads of an executor: it trades CPU time
 * on other cores for the wall time of the step, and uses no more CPU in all than one thread would.
 *
 * <p>The calling thread takes batches too, and waits only for batches another thread has started
 * (and for that thread to close its worker):
 * a task still queued behind a busy executor (or behind the calling thread itself) finds nothing
 * left to do, so a saturated or rejecting executor makes the step serial, never stuck. Each
 * thread that takes part has its own {@link Worker} (its own deflater and buffers).
 */
final class BatchCompressor {

  /** Encodes batches of one step; one per thread taking part, used by that thread only. */
  interface Worker extends AutoCloseable {
    /** The gzip-compressed body of batch {@code batch}. */
    byte[] encode(int batch);

    @Override void close();
  }

  /** Every batch on the calling thread. */
  static final BatchCompressor SERIAL = new BatchCompressor(Runnable::run, 1);

  private final Executor executor;
  private final int parallelism;

  /**
   * @param executor runs the helper tasks; CPU-bound work of some milliseconds each
   * @param parallelism the most threads encoding one step, the calling one included
   */
  BatchCompressor(Executor executor, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be positive, got " + parallelism);
    }
    this.executor = executor;
    this.parallelism = parallelism;
  }

  int parallelism() {
    return parallelism;
  }

  /** The bodies of batches {@code 0 .. batches - 1}, in that order. */
  byte[][] run(int batches, Supplier<? extends Worker> workers) {
    byte[][] bodies = new byte[batches][];
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(batches);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable task = () -> work(bodies, next, done, failure, workers);
    for (int t = 1; t < Math.min(parallelism, batches); t++) {
      try {
        executor.execute(task);
      } catch (RejectedExecutionException e) {
        break;
      }
    }
    task.run();
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e != null) {
      throw (Error) e;
    }
    return bodies;
  }

  private static void work(byte[][] bodies, AtomicInteger next, CountDownLatch done,
      AtomicReference<Throwable> failure, Supplier<? extends Worker> workers) {
    Worker worker = null;
    // the last batch taken is counted off after the worker is closed, so that the step ends with
    // every worker closed
    boolean uncounted = false;
    try {
      for (int batch = next.getAndIncrement(); batch < bodies.length; batch = next.getAndIncrement()) {
        if (uncounted) {
          done.countDown();
        }
        uncounted = true;
        try {
          // after a failure the remaining batches are only counted off
          if (failure.get() == null) {
            if (worker == null) {
              worker = workers.get();
            }
            bodies[batch] = worker.encode(batch);
          }
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
        }
      }
    } finally {
      try {
        if (worker != null) {
          worker.close();
        }
      } finally {
        if (uncounted) {
          done.countDown();
        }
      }
    }
  }
}
