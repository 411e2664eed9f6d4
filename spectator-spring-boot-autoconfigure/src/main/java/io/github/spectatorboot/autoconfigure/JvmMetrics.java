package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.gc.GcLogger;
import com.netflix.spectator.jvm.Jmx;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Starts Spectator's JVM and GC metrics with the context and stops the GC listener with it; the
 * MXBean gauges are polled meters that end when the registry closes.
 *
 * <p>The registration waits until the application is ready ({@link ApplicationReadyEvent}), and
 * then runs on a thread of its own: on Java 17 and later {@code spectator-ext-jvm} starts a JDK
 * Flight Recorder stream, a few hundred milliseconds of work that would otherwise compete with
 * the application's start-up for the CPU. The JVM metrics therefore appear a moment after the
 * application reports it has started. In a context that no {@code SpringApplication} runs (so no
 * ready event comes), they are registered {@value #DEFAULT_READY_WAIT_SECONDS} seconds after the
 * context starts.
 */
public final class JvmMetrics implements SmartLifecycle, ApplicationListener<ApplicationReadyEvent> {

  static final long DEFAULT_READY_WAIT_SECONDS = 30;

  private static final Logger LOGGER = LoggerFactory.getLogger(JvmMetrics.class);

  private final Registry registry;
  private final Duration readyWait;
  private final CountDownLatch ready = new CountDownLatch(1);
  private boolean running;
  private boolean mxBeansRegistered;
  private Thread registration;
  private AutoCloseable gcLogger;

  /** JVM metrics for {@code registry}, started with the context once the application is ready. */
  public JvmMetrics(Registry registry) {
    this(registry, Duration.ofSeconds(DEFAULT_READY_WAIT_SECONDS));
  }

  /** For tests: registers after {@code readyWait} if no ready event came by then. */
  JvmMetrics(Registry registry, Duration readyWait) {
    this.registry = registry;
    this.readyWait = readyWait;
  }

  @Override public void onApplicationEvent(ApplicationReadyEvent event) {
    ready.countDown();
  }

  @Override public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    registration = new Thread(this::register, "spectator-jvm-metrics");
    registration.setDaemon(true);
    registration.start();
  }

  private void register() {
    try {
      ready.await(readyWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      return; // stopped before the application was ready
    }
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
    if (registration != null) {
      registration.interrupt();
      registration = null;
    }
    if (gcLogger != null) {
      try {
        gcLogger.close();
      } catch (Exception e) {
        LOGGER.warn("could not stop the GC logger", e);
      }
      gcLogger = null;
    }
  }

  /** The thread that registers the metrics, {@code null} when stopped; for tests. */
  synchronized Thread registrationThread() {
    return registration;
  }

  @Override public synchronized boolean isRunning() {
    return running;
  }
}
