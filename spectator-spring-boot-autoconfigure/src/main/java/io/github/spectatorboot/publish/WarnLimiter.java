package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs at WARN at most once per interval and at DEBUG otherwise, so that a backend failing every
 * step does not flood the log; the next WARN says how many were held back. Public for the LWC
 * streamer, whose failures are logged the same way.
 */
public final class WarnLimiter {

  private final Logger logger;
  private final Clock clock;
  private final long intervalNanos;
  private final AtomicLong nextWarn = new AtomicLong(Long.MIN_VALUE);
  private final AtomicInteger suppressed = new AtomicInteger();

  /** Logs to {@code logger} at WARN at most once per {@code interval} of {@code clock}'s monotonic time. */
  public WarnLimiter(Logger logger, Clock clock, Duration interval) {
    this.logger = logger;
    this.clock = clock;
    this.intervalNanos = interval.toNanos();
  }

  /** Logs {@code message} at WARN, or at DEBUG when a WARN went out less than an interval ago. */
  public void warn(String message) {
    long now = clock.monotonicTime();
    long next = nextWarn.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && nextWarn.compareAndSet(next, now + intervalNanos)) {
      int held = suppressed.getAndSet(0);
      if (held > 0) {
        logger.warn("{} ({} similar warnings in the meantime logged at DEBUG)", message, held);
      } else {
        logger.warn(message);
      }
    } else {
      suppressed.incrementAndGet();
      logger.debug(message);
    }
  }
}
