package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Clock;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepSnapshot;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Polls the registry once per step, just after each step boundary, on a scheduler of its own, and
 * hands each snapshot to a consumer; the consumer runs on the scheduler thread with the schedule's
 * lock held, so it must only start work, never wait for it.
 *
 * <p>Every step boundary is polled at most once, whether by a tick or by {@link #pollFinal()}:
 * both decide under one lock. Ticks are computed from the registry's clock each time, so a slow
 * tick does not shift the next one. If the scheduler thread stalls across several boundaries, the
 * next tick polls once, and the snapshot holds the values of all the steps it missed.
 */
final class StepSchedule {

  private static final Logger LOGGER = LoggerFactory.getLogger(StepSchedule.class);

  /** Values recorded between a boundary and the poll count in the step that just ended, so keep this small. */
  private static final long MAX_OFFSET_MILLIS = 1000;

  private final StepRegistry registry;
  private final Clock clock;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final Consumer<StepSnapshot> onStep;
  private final long stepMillis;
  private final long offsetMillis;
  private final WarnLimiter warnings;

  private final ReentrantLock lock = new ReentrantLock();
  private long lastPolled;
  private boolean started;
  private boolean stopped;
  private Disposable next;

  /**
   * @param scheduler where ticks run; {@code null} for a single daemon thread of our own named
   *     {@code threadName}, disposed by {@link #stop()}
   */
  StepSchedule(StepRegistry registry, Scheduler scheduler, String threadName, Consumer<StepSnapshot> onStep) {
    this.registry = registry;
    this.clock = registry.clock();
    this.ownsScheduler = scheduler == null;
    this.scheduler = scheduler != null ? scheduler : Schedulers.newSingle(threadName, true);
    this.onStep = onStep;
    this.stepMillis = registry.stepMillis();
    this.offsetMillis = offsetMillis(stepMillis);
    this.warnings = new WarnLimiter(LOGGER, clock, Duration.ofMinutes(1));
    this.lastPolled = registry.lastPollTimestamp();
  }

  /** How long after a boundary a tick polls: 2% of the step, between 1 ms and 1 s. */
  static long offsetMillis(long stepMillis) {
    return Math.max(1, Math.min(MAX_OFFSET_MILLIS, stepMillis / 50));
  }

  /**
   * Runs {@code task} on the schedule's scheduler after {@code delayMillis}; a task still waiting
   * when the schedule stops never runs.
   */
  Disposable later(Runnable task, long delayMillis) {
    return scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
  }

  /** Starts the ticks; returns false if already started or stopped. */
  boolean start() {
    lock.lock();
    try {
      if (started || stopped) {
        return false;
      }
      started = true;
      lastPolled = Math.max(lastPolled, registry.lastPollTimestamp());
      if (registry.lastStepBoundary() > lastPolled) {
        // the registry has been recording for more than a step: close that step now rather
        // than fold it into the first scheduled one
        next = scheduler.schedule(this::tick);
      } else {
        scheduleNext();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  boolean isRunning() {
    lock.lock();
    try {
      return started && !stopped;
    } finally {
      lock.unlock();
    }
  }

  /** End of the last step polled, in epoch milliseconds. */
  long lastPolled() {
    lock.lock();
    try {
      return lastPolled;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the ticks; waits for a tick in progress to finish, so that none runs after this returns. */
  void stop() {
    lock.lock();
    try {
      stopped = true;
      if (next != null) {
        next.dispose();
        next = null;
      }
    } finally {
      lock.unlock();
    }
    if (ownsScheduler) {
      scheduler.dispose();
    }
  }

  /**
   * For the final flush, after {@link #stop()}: polls the last completed step if no tick has,
   * then the step in progress, stamped with its end.
   */
  FinalSteps pollFinal() {
    lock.lock();
    try {
      StepSnapshot completed = null;
      long boundary = registry.lastStepBoundary();
      if (boundary > lastPolled) {
        completed = registry.poll(boundary);
        lastPolled = boundary;
      }
      long end = lastPolled + stepMillis;
      StepSnapshot partial = registry.poll(end);
      lastPolled = end;
      return new FinalSteps(completed, partial);
    } finally {
      lock.unlock();
    }
  }

  private void tick() {
    lock.lock();
    try {
      if (stopped) {
        return;
      }
      try {
        long boundary = registry.lastStepBoundary();
        if (boundary > lastPolled) {
          StepSnapshot snapshot = registry.poll(boundary);
          lastPolled = boundary;
          onStep.accept(snapshot);
        }
      } catch (RuntimeException e) {
        warnings.warn("failed to poll or publish a step: " + e);
        LOGGER.debug("failed to poll or publish a step", e);
      }
      scheduleNext();
    } finally {
      lock.unlock();
    }
  }

  /** Schedules the next tick just after the next boundary; the lock is held. */
  private void scheduleNext() {
    long now = clock.wallTime();
    long nextBoundary = now - Math.floorMod(now, stepMillis) + stepMillis;
    try {
      next = scheduler.schedule(this::tick, nextBoundary + offsetMillis - now, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // the scheduler was disposed under us: nothing more to schedule
      LOGGER.debug("could not schedule the next poll", e);
    }
  }

  /**
   * The steps of the final flush.
   *
   * @param completed the last completed step, or {@code null} if a tick polled it already
   * @param partial the step in progress, stamped with its end
   */
  record FinalSteps(StepSnapshot completed, StepSnapshot partial) {}
}
