package io.github.spectatorboot.ipc;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attempts of one logical client call, so that {@code ipc.client.call} tags each exchange
 * with {@code ipc.attempt} ({@code initial}, {@code second}, {@code third_up}) and
 * {@code ipc.attempt.final}. The caller creates one per call and passes it as the request
 * attribute {@link #ATTRIBUTE}; every exchange that carries it is the next attempt:
 *
 * <pre>{@code
 * webClient.get().uri("/orders/{id}", id)
 *     .attribute(IpcAttempts.ATTRIBUTE, IpcAttempts.upTo(3))
 *     .retrieve().bodyToMono(Order.class)
 *     .retryWhen(Retry.max(2));           // 3 attempts in all
 * }</pre>
 *
 * <p>An attempt is final when it succeeded ({@code ipc.result=success}) or when it is the last
 * one {@code upTo} allows; a failed earlier attempt is tagged {@code ipc.attempt.final=false}
 * even if the caller's retry policy then gives up on it, as the exchange cannot know that policy.
 *
 * <p>Where it works: a {@code WebClient} retried by Reactor ({@code retry}, {@code retryWhen}),
 * which subscribes again and so makes a new observed exchange with the same attributes; a
 * {@code RestClient} called again by the caller (a loop, Spring Retry around the call) with the
 * same instance as attribute. Where it cannot: a {@code RestTemplate} (it has no request
 * attributes), and retries made inside one exchange, by a {@code ClientHttpRequestInterceptor} or
 * an {@code ExchangeFilterFunction}: Spring observes the exchange around its interceptors and
 * filters, so the observation covers all those attempts as one, ending with the last one's
 * outcome. Without the attribute every exchange is {@code initial}, final.
 */
public final class IpcAttempts {

  /** Name of the request attribute that carries the attempts of a call. */
  public static final String ATTRIBUTE = IpcAttempts.class.getName();

  private final int maxAttempts;
  private final AtomicInteger started = new AtomicInteger();

  private IpcAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  /**
   * The attempts of a call that makes at most {@code maxAttempts} exchanges, the first included.
   *
   * @throws IllegalArgumentException if {@code maxAttempts} is less than 1
   */
  public static IpcAttempts upTo(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    return new IpcAttempts(maxAttempts);
  }

  /** Exchanges started so far with these attempts. */
  public int started() {
    return started.get();
  }

  /** Counts an exchange that starts: its attempt number, from 1. */
  int next() {
    return started.incrementAndGet();
  }

  /** Whether attempt {@code number} is the last one allowed. */
  boolean isLast(int number) {
    return number >= maxAttempts;
  }

  /** The attempts among request attributes, else null. */
  static IpcAttempts from(Map<String, Object> attributes) {
    return attributes != null && attributes.get(ATTRIBUTE) instanceof IpcAttempts attempts ? attempts : null;
  }
}
