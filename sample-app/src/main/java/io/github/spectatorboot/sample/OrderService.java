package io.github.spectatorboot.sample;

import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Places, quotes and fulfils orders; its methods are measured through the annotations. */
@Service
public class OrderService {

  private final OrderQueue queue;
  private final OrderMetrics metrics;

  public OrderService(OrderQueue queue, OrderMetrics metrics) {
    this.queue = queue;
    this.metrics = metrics;
  }

  /** Accepts an order: a timer {@code orders.placed} and a counter {@code orders.attempts} with its result. */
  @Timed("orders.placed")
  @Counted("orders.attempts")
  public String place(String body) {
    if (body == null || body.isBlank()) {
      metrics.rejected();
      throw new IllegalArgumentException("an order needs a body");
    }
    String id = UUID.randomUUID().toString();
    queue.pending().add(new OrderQueue.PendingOrder(id, body, System.nanoTime()));
    return id;
  }

  /** Prices an order; the timer {@code orders.quote} runs from subscription to the answer. */
  @Timed(value = "orders.quote", extraTags = {"currency", "EUR"})
  public Mono<Long> quote(String body) {
    return Mono.fromSupplier(() -> 100L * body.length()).delayElement(Duration.ofMillis(5));
  }

  /** Fulfils the oldest pending order, if any, and records how long it waited. */
  public Optional<String> fulfilNext() {
    OrderQueue.PendingOrder next = queue.pending().poll();
    if (next == null) {
      return Optional.empty();
    }
    metrics.fulfilled(Duration.ofNanos(System.nanoTime() - next.arrivedNanos()));
    return Optional.of(next.id());
  }
}
