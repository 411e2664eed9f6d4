package io.github.spectatorboot.publish;

import static org.awaitility.Awaitility.await;

import com.netflix.spectator.api.Id;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.github.spectatorboot.registry.StepSnapshot;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionFactory;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A publisher whose schedule runs on virtual time, talking over real HTTP to a backend on
 * 127.0.0.1: the test advances the schedule one step at a time on its own thread, while requests,
 * timeouts and retries run for real (with a 10 ms retry backoff). Steps are sent right after
 * their poll (a send offset of 0) unless the test's customizer pins another one.
 */
final class PublisherFixture implements AutoCloseable {

  /** 2023-11-14T22:13:20Z, a multiple of every step used here. */
  static final long START = 1_700_000_000_000L;

  final VirtualTimeScheduler ticks = VirtualTimeScheduler.create();
  final VirtualClock clock = new VirtualClock(ticks);
  final StepRegistry registry;
  final PublisherConfig config;
  final AtlasPublisher publisher;
  final long stepMillis;
  /** Every value of every step polled, close()'s final polls included. */
  private final Map<Id, Double> polledTotals = new ConcurrentHashMap<>();

  PublisherFixture(URI uri, PublisherConfig.Format format, UnaryOperator<PublisherConfig> customize) {
    this(uri, format, Duration.ofSeconds(5), customize);
  }

  PublisherFixture(URI uri, PublisherConfig.Format format, Duration step, UnaryOperator<PublisherConfig> customize) {
    this(uri, format, step, customize, Duration.ofMillis(10), Schedulers.parallel());
  }

  /** With the retry backoff and the scheduler that backoffs and attempt timeouts wait on given. */
  PublisherFixture(URI uri, PublisherConfig.Format format, Duration step, UnaryOperator<PublisherConfig> customize,
      Duration retryBackoff, Scheduler timer) {
    this.stepMillis = step.toMillis();
    // half way through a step: each advanceOneStep() crosses exactly one boundary and its tick
    ticks.advanceTimeTo(Instant.ofEpochMilli(START + stepMillis / 2));
    this.registry = new StepRegistry(clock,
        new StepRegistryConfig(step, Duration.ofMinutes(15), 100_000, Map.of("nf.app", "test")));
    // sent right after the poll unless a test asks otherwise: most tests are about what is sent.
    // Timeouts are real time: generous, so that a loaded machine does not turn a held or slow
    // answer into a drop; tests about timeouts set their own.
    this.config = customize.apply(new PublisherConfig(uri, format, step, 10_000,
        Duration.ofSeconds(2), Duration.ofSeconds(5), 2, Duration.ofSeconds(3), Duration.ZERO));
    this.publisher = new AtlasPublisher(registry, config, WebClient.builder(), ticks, retryBackoff, timer);
    registry.addStepListener(polled -> {
      for (int i = 0; i < polled.size(); i++) {
        polledTotals.merge(polled.id(i).withTag("statistic", polled.statistic(i)), polled.delta(i), Double::sum);
      }
    });
  }

  /** The end of the k-th step after the start: what the k-th tick polls. */
  long boundary(int k) {
    return START + k * stepMillis;
  }

  /** Moves time on by one step, which runs one tick on this thread, and returns the step it polled. */
  StepSnapshot advanceOneStep() {
    ticks.advanceTimeBy(Duration.ofMillis(stepMillis));
    return registry.lastSnapshot();
  }

  /** A bounded wait that checks often: conditions here flip within milliseconds. */
  static ConditionFactory soon() {
    return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(20));
  }

  /** Waits (bounded) until no publish is in flight. */
  void awaitIdle() {
    soon().until(() -> publisher.publishesInFlight() == 0);
  }

  /** Total of a {@code spectator.measurements} counter so far: every polled step plus the step in progress. */
  double measurements(String id, String error) {
    Id counter = registry.createId(PublishMeters.MEASUREMENTS, "id", id, "statistic", "count");
    if (error != null) {
      counter = counter.withTag("error", error);
    }
    double total = polledTotals.getOrDefault(counter, 0.0);
    StepSnapshot now = registry.peek();
    for (int i = 0; i < now.size(); i++) {
      if (now.id(i).withTag("statistic", now.statistic(i)).equals(counter)) {
        total += now.delta(i);
      }
    }
    return total;
  }

  double sent() {
    return measurements("sent", null);
  }

  double dropped(String error) {
    return measurements("dropped", error);
  }

  @Override public void close() {
    publisher.close();
    ticks.dispose();
  }
}
