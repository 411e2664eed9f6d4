package io.github.spectatorboot.publish;

import io.github.spectatorboot.registry.StepRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * Polls a {@link StepRegistry} every step on the {@link AtlasPublisher}'s schedule without sending
 * anything, for when publishing is disabled: the registry still rolls its steps over (so
 * {@code /actuator/spectator} has a last step) and expires idle meters.
 *
 * <p>Create either this or an {@link AtlasPublisher} for a registry, never both: each poll closes a
 * step, and two pollers would split the steps between them.
 */
public final class StepPoller implements AutoCloseable {

  private static final Logger LOGGER = LoggerFactory.getLogger(StepPoller.class);

  private final StepSchedule schedule;

  /** A poller of {@code registry} on a daemon thread of its own; call {@link #start()} to begin. */
  public StepPoller(StepRegistry registry) {
    this(registry, null);
  }

  /** For tests: ticks on {@code scheduler}. */
  StepPoller(StepRegistry registry, Scheduler scheduler) {
    this.schedule = new StepSchedule(registry, scheduler, "spectator-poller", snapshot -> { });
  }

  /** Starts polling every step; does nothing if already started or closed. */
  public void start() {
    if (!schedule.start()) {
      LOGGER.warn("step poller already started or closed, ignoring start()");
    }
  }

  /** Whether the schedule is running. */
  public boolean isRunning() {
    return schedule.isRunning();
  }

  /** Stops polling; a poll in progress finishes first. Calling it again does nothing. */
  @Override public void close() {
    schedule.stop();
  }
}
