package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.gc.GcLogger;
import com.netflix.spectator.jvm.Jmx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts Spectator's JVM and GC metrics with the context and stops the GC listener with it; the
 * MXBean gauges are polled meters that end when the registry closes.
 *
 * <p>The registration runs on a thread of its own: on Java 17 and later {@code spectator-ext-jvm}
 * starts a JDK Flight Recorder stream, which takes a few hundred milliseconds that the
 * application's start-up should not wait for. The metrics appear a moment after start-up.
 */
public final class JvmMetrics implements SmartLifecycle {

  private static final Logger LOGGER = LoggerFactory.getLogger(JvmMetrics.class);

  private final Registry registry;
  private boolean running;
  private boolean mxBeansRegistered;
  private AutoCloseable gcLogger;

  /** JVM metrics for {@code registry}, started with the context. */
  public JvmMetrics(Registry registry) {
    this.registry = registry;
  }

  @Override public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    Thread thread = new Thread(this::register, "spectator-jvm-metrics");
    thread.setDaemon(true);
    thread.start();
  }

  private void register() {
    try {
      synchronized (this) {
        if (!running) {
          return;
        }
        if (!mxBeansRegistered) {
          Jmx.registerStandardMXBeans(registry);
          mxBeansRegistered = true;
        }
        gcLogger = GcLogger.monitor(registry);
      }
    } catch (RuntimeException | LinkageError e) {
      LOGGER.warn("could not register the JVM metrics: {}", e.toString());
    }
  }

  @Override public synchronized void stop() {
    running = false;
    if (gcLogger != null) {
      try {
        gcLogger.close();
      } catch (Exception e) {
        LOGGER.warn("could not stop the GC logger", e);
      }
      gcLogger = null;
    }
  }

  @Override public synchronized boolean isRunning() {
    return running;
  }
}
