package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.patterns.LongTaskTimer;
import org.slf4j.Logger;

/**
 * Records calls in progress with a Spectator {@link LongTaskTimer} ({@code activeTasks},
 * {@code duration}); the outcome of a call is not recorded, so there is no {@code exception} tag.
 */
final class LongTaskRecorder extends MethodRecorder {

  /** Token of a recording that could not start; stopping it does nothing. */
  private static final long NOT_STARTED = -1L;

  private final Registry registry;
  private final Id id;

  LongTaskRecorder(Registry registry, MeterSpec spec, Class<?> targetClass, ReturnKind kind, String method, Logger logger) {
    super(targetClass, kind, method, logger);
    this.registry = registry;
    this.id = spec.baseId(registry);
  }

  @Override long start() {
    try {
      return LongTaskTimer.get(registry, id).start();
    } catch (RuntimeException | LinkageError e) {
      warn(e);
      return NOT_STARTED;
    }
  }

  @Override void success(long task) {
    stop(task);
  }

  @Override void failure(long task, Throwable error) {
    stop(task);
  }

  @Override void cancelled(long task) {
    stop(task);
  }

  private void stop(long task) {
    if (task == NOT_STARTED) {
      return;
    }
    try {
      LongTaskTimer.get(registry, id).stop(task);
    } catch (RuntimeException | LinkageError e) {
      warn(e);
    }
  }
}
