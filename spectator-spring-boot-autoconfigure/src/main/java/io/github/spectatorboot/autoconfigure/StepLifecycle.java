package io.github.spectatorboot.autoconfigure;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the publisher (or the poller) with the context and stops it, which sends the last
 * completed step and the partial one, when the context closes.
 *
 * <p>It stops in a late phase: after the web server's graceful shutdown and the web server itself
 * (so requests that finish during shutdown are in the last step), and before any bean is destroyed
 * (so gauges that call other beans still can).
 */
final class StepLifecycle implements SmartLifecycle {

  /** Lower than the web server's phases ({@code DEFAULT_PHASE - 2048} and {@code - 1024}): stops after them. */
  static final int PHASE = Integer.MIN_VALUE + 1000;

  private final Runnable start;
  private final Runnable stop;
  private volatile boolean running;

  StepLifecycle(Runnable start, Runnable stop) {
    this.start = start;
    this.stop = stop;
  }

  @Override public void start() {
    start.run();
    running = true;
  }

  @Override public void stop() {
    running = false;
    stop.run();
  }

  @Override public boolean isRunning() {
    return running;
  }

  @Override public int getPhase() {
    return PHASE;
  }
}
