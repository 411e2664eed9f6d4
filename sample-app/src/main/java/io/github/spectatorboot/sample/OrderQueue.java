package io.github.spectatorboot.sample;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.stereotype.Component;

/** Orders accepted and not yet fulfilled. */
@Component
public class OrderQueue {

  /** An accepted order and when it arrived, from {@link System#nanoTime()}. */
  public record PendingOrder(String id, String body, long arrivedNanos) {}

  private final Queue<PendingOrder> pending = new ConcurrentLinkedQueue<>();

  /** The pending orders; their number is reported as the gauge {@code orders.queueSize}. */
  public Queue<PendingOrder> pending() {
    return pending;
  }
}
