package io.github.spectatorboot.sample;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.api.histogram.PercentileTimer;
import com.netflix.spectator.api.patterns.PolledMeter;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Meters the application keeps by hand through the injected {@link Registry}: a counter, a gauge
 * of a queue (through {@link PolledMeter}), a distribution summary of payload sizes and a
 * percentile timer.
 */
@Component
public class OrderMetrics {

  private final Counter rejected;
  private final DistributionSummary payloadSize;
  private final Timer fulfilment;

  public OrderMetrics(Registry registry, OrderQueue queue) {
    this.rejected = registry.counter("orders.rejected");
    this.payloadSize = registry.distributionSummary("orders.payloadSize");
    this.fulfilment = PercentileTimer.builder(registry)
        .withName("orders.fulfilment")
        .withRange(Duration.ofMillis(1), Duration.ofSeconds(10))
        .build();
    PolledMeter.using(registry).withName("orders.queueSize").monitorSize(queue.pending());
  }

  /** Counts an order refused before it reached the queue. */
  public void rejected() {
    rejected.increment();
  }

  /** Records the size of an order's body, in bytes. */
  public void payload(int bytes) {
    payloadSize.record(bytes);
  }

  /** Records how long an order took from arrival to fulfilment. */
  public void fulfilled(Duration elapsed) {
    fulfilment.record(elapsed);
  }
}
