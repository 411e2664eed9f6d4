package io.github.spectatorboot.sample;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The sample's HTTP API: place, quote and fulfil orders. */
@RestController
public class OrderController {

  private final OrderService orders;
  private final OrderMetrics metrics;

  public OrderController(OrderService orders, OrderMetrics metrics) {
    this.orders = orders;
    this.metrics = metrics;
  }

  /** {@code POST /orders} with any text body: answers the new order's id. */
  @PostMapping("/orders")
  public Mono<String> place(@RequestBody(required = false) String body) {
    metrics.payload(body == null ? 0 : body.length());
    return Mono.fromCallable(() -> orders.place(body));
  }

  /** {@code POST /orders/quote}: the price of the body, in cents. */
  @PostMapping("/orders/quote")
  public Mono<Long> quote(@RequestBody String body) {
    return orders.quote(body);
  }

  /** {@code POST /orders/next}: fulfils the oldest order; 204 when none is pending. */
  @PostMapping("/orders/next")
  public ResponseEntity<String> next() {
    return orders.fulfilNext().map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.noContent().build());
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<String> badOrder(IllegalArgumentException e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(e.getMessage());
  }
}
