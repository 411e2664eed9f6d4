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
 */
public final class JvmMetrics implements SmartLifecycle {

  private static final Logger LOGGER = LoggerFactory.getLogger(JvmMetrics.class);

  private final Registry registry;
  private AutoCloseable gcLogger;
  private boolean mxBeansRegistered;

  /** JVM metrics for {@code registry}, started with the context. */
  public JvmMetrics(Registry registry) {
    this.registry = registry;
  }

  @Override public synchronized void start() {
    if (!mxBeansRegistered) {
      Jmx.registerStandardMXBeans(registry);
      mxBeansRegistered = true;
    }
    if (gcLogger == null) {
      gcLogger = GcLogger.monitor(registry);
    }
  }

  @Override public synchronized void stop() {
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
    return gcLogger != null;
  }
}
