package io.github.spectatorboot.publish;

import static io.github.spectatorboot.publish.PublisherFixture.soon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.spectatorboot.publish.Payloads.Datapoint;
import io.github.spectatorboot.publish.PublisherConfig.Format;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Fleet behaviour: each step is polled at its boundary and sent at the instance's own offset
 * within the step; a step's retries end within its budget; a refused backend costs nothing at
 * shutdown but one attempt.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AtlasPublisherSpreadTest {

  static final String COUNTER = "app.events";

  @Test
  void anInstanceSendOffsetMapsItsStartLinearlyOntoTheMiddleEightyPercentOfTheStep() {
    long step = 60_000;
    long boundary = 1_700_000_040_000L;
    assertThat(PublisherConfig.instanceSendOffset(boundary, step, null)).isEqualTo(6_000);
    assertThat(PublisherConfig.instanceSendOffset(boundary + 30_000, step, null)).isEqualTo(30_000);
    assertThat(PublisherConfig.instanceSendOffset(boundary + 59_999, step, null)).isEqualTo(53_999);
    for (long start = boundary; start < boundary + step; start += 997) {
      assertThat(PublisherConfig.instanceSendOffset(start, step, null)).isBetween(6_000L, 54_000L);
    }
  }

  @Test
  void instancesStartedAtTheSameMomentWithDistinctNodesGetDistinctOffsets() {
    long step = 60_000;
    long start = 1_700_000_012_345L;
    assertThat(PublisherConfig.instanceSendOffset(start, step, "i-0a"))
        .isNotEqualTo(PublisherConfig.instanceSendOffset(start, step, "i-0b"));
  }

  @Test
  void aPinnedSendOffsetMustFallWithinTheStep() {
    PublisherConfig config = PublisherConfig.defaults(URI.create("http://localhost:7101/api/v1/publish"));
    assertThat(config.withSendOffset(Duration.ofSeconds(59)).sendOffset()).isEqualTo(Duration.ofSeconds(59));
    assertThatIllegalArgumentException().isThrownBy(() -> config.withSendOffset(Duration.ofMinutes(1)))
        .withMessageContaining("sendOffset");
    assertThatIllegalArgumentException().isThrownBy(() -> config.withSendOffset(Duration.ofMillis(-1)))
        .withMessageContaining("sendOffset");
  }

  @Test
  void theStepIsPolledAtItsBoundaryAndSentAtTheInstancesOwnOffsetWithItsValuesUnmoved() {
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH,
            // generous timeouts: the first request of a cold JVM on a busy machine can take seconds
            c -> c.withSendOffset(null).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)))) {
      // created half way through a 5 s step: the middle of 0.5 s..4.5 s
      assertThat(f.publisher.sendOffset()).isEqualTo(Duration.ofMillis(2_500));
      f.publisher.start();
      f.registry.counter(COUNTER).increment(3);

      f.ticks.advanceTimeBy(Duration.ofMillis(f.boundary(1) + 2_499 - f.clock.wallTime()));
      assertThat(f.registry.lastPollTimestamp()).as("polled at the boundary").isEqualTo(f.boundary(1));
      f.registry.counter(COUNTER).increment(100);
      assertThat(backend.received).as("not sent before the offset").isEmpty();

      f.ticks.advanceTimeBy(Duration.ofMillis(1));
      soon().until(() -> backend.received.size() == 1);
      assertThat(backend.datapoints()).filteredOn(p -> p.tags().get("name").equals(COUNTER))
          .singleElement()
          .satisfies(p -> {
            assertThat(p.timestamp()).isEqualTo(f.boundary(1));
            assertThat(p.value()).as("3 in a 5 s step; the later 100 is in the next step").isEqualTo(0.6);
          });

      f.awaitIdle();
      f.ticks.advanceTimeBy(Duration.ofMillis(f.stepMillis));
      soon().until(() -> backend.received.size() == 2);
      assertThat(ScriptedBackend.datapoints(backend.received.get(1)))
          .filteredOn(p -> p.tags().get("name").equals(COUNTER))
          .singleElement()
          .satisfies(p -> assertThat(p.timestamp()).isEqualTo(f.boundary(2)));
    }
  }

  @Test
  void closeSendsAStepStillWaitingForItsOffsetAtOnceAndNeverAgain() {
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH,
            c -> c.withSendOffset(Duration.ofSeconds(4)).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withShutdownTimeout(Duration.ofSeconds(20)))) {
      f.publisher.start();
      f.registry.counter(COUNTER).increment(2);
      f.ticks.advanceTimeBy(Duration.ofMillis(f.boundary(1) + 1_000 - f.clock.wallTime()));
      f.registry.counter(COUNTER).increment(5);
      assertThat(backend.received).isEmpty();

      f.publisher.close();
      f.ticks.advanceTimeBy(Duration.ofSeconds(30));

      assertThat(backend.datapoints()).filteredOn(p -> p.tags().get("name").equals(COUNTER))
          .extracting(Datapoint::timestamp, Datapoint::value)
          .as("the waiting step once, then the partial step")
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(f.boundary(1), 0.4),
              org.assertj.core.groups.Tuple.tuple(f.boundary(2), 1.0));
    }
  }

  @Test
  void aRetryWhoseBackoffWouldOutlastTheBudgetIsNotMade() {
    try (ScriptedBackend backend = new ScriptedBackend()
        .enqueue(ScriptedBackend.status(503)).enqueue(ScriptedBackend.status(503)).enqueue(ScriptedBackend.status(503))) {
      // a backoff of 10 s to 30 s, a budget of 5 s (room for a slow first attempt): the 503 is final
      AtlasSender sender = new AtlasSender(WebClient::create, backend.uri("/api/v4/update"), PayloadEncoder.SMILE, Duration.ofSeconds(20),
          Duration.ofSeconds(5), Schedulers.parallel());

      BatchOutcome outcome = sender.send(new EncodedBatch(new byte[0], 7), Duration.ofSeconds(5))
          .block(Duration.ofSeconds(20));

      assertThat(outcome.droppedHttp()).isEqualTo(7);
      assertThat(backend.received).as("one attempt: its retry would have ended after the budget").hasSize(1);
    }
  }

  @Test
  void retriesWithinTheBudgetAreMade() {
    try (ScriptedBackend backend = new ScriptedBackend()
        .enqueue(ScriptedBackend.status(503)).enqueue(ScriptedBackend.status(503))) {
      AtlasSender sender = new AtlasSender(WebClient::create, backend.uri("/api/v4/update"), PayloadEncoder.SMILE, Duration.ofMillis(10),
          Duration.ofSeconds(5), Schedulers.parallel());

      BatchOutcome outcome = sender.send(new EncodedBatch(new byte[0], 7), Duration.ofSeconds(10))
          .block(Duration.ofSeconds(20));

      assertThat(outcome.sent()).isEqualTo(7);
      assertThat(backend.received).hasSize(3);
    }
  }

  @Test
  void closeWithTheBackendRefusingConnectionsWaitsForNoBackoff() {
    URI uri = ScriptedBackend.refusingUri("/api/v1/publish");
    // backoffs wait on a virtual clock nobody advances: a close that waited for one would run into
    // its 30 s timeout and report the cancellation instead of the refusal
    VirtualTimeScheduler frozen = VirtualTimeScheduler.create();
    try (PublisherFixture f = new PublisherFixture(uri, Format.PUBLISH, java.time.Duration.ofSeconds(5),
        c -> c.withShutdownTimeout(Duration.ofSeconds(30)), Duration.ofSeconds(1), frozen)) {
      f.publisher.start();
      f.registry.counter(COUNTER).increment();
      int first = f.advanceOneStep().size();
      // the step's first attempt is refused and its retry waits for a backoff that never ends
      soon().until(() -> f.publisher.status().lastAttempt() != null && f.publisher.publishesInFlight() == 1);

      f.publisher.close();

      PublisherStatus status = f.publisher.status();
      assertThat(status.lastError()).containsIgnoringCase("refused").doesNotContain("shutdown timeout");
      assertThat(status.dropped()).as("the step in backoff, the partial step").isGreaterThan(first);
      assertThat((double) status.dropped()).isEqualTo(f.dropped("other"));
    } finally {
      frozen.dispose();
    }
  }
}
