package io.github.spectatorboot.sample;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.stereotype.Component;

/** Orders accepted and not yet fulfilled. */
@Component
public class OrderQueue {

  private final Queue<String> pending = new ConcurrentLinkedQueue<>();

  /** The pending orders; its size is reported as the gauge {@code orders.queueSize}. */
  public Queue<String> pending() {
    return pending;
  }
}
