package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.spectatorboot.publish.Payloads.Datapoint;
import io.github.spectatorboot.publish.PublisherConfig.Format;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shutdown: the last completed step and the partial step in progress are each sent exactly once,
 * within the shutdown timeout. Steps are 1 s here, so a counter's published rate is its delta.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AtlasPublisherShutdownTest {

  static final String COUNTER = "app.events";

  static PublisherFixture fixture(ScriptedBackend backend) {
    return new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, Duration.ofSeconds(1), c -> c);
  }

  /** The counter's datapoints over every request the backend read, one per step. */
  static List<Datapoint> counterPoints(ScriptedBackend backend) {
    List<Datapoint> points = new ArrayList<>();
    for (Datapoint p : backend.datapoints()) {
      if (p.tags().get("name").equals(COUNTER)) {
        points.add(p);
      }
    }
    // the final flush sends the last completed and the partial step concurrently: they may
    // arrive in either order, so read them in step order
    points.sort(java.util.Comparator.comparingLong(Datapoint::timestamp));
    return points;
  }

  static double sum(List<Datapoint> points) {
    return points.stream().mapToDouble(Datapoint::value).sum();
  }

  @RepeatedTest(30)
  void closeRacingAScheduledPublishSendsNoStepTwiceAndNoneMissing() throws Exception {
    try (ScriptedBackend backend = new ScriptedBackend(); PublisherFixture f = fixture(backend)) {
      f.publisher.start();
      f.registry.counter(COUNTER).increment(3);
      f.advanceOneStep();
      f.awaitIdle();
      f.registry.counter(COUNTER).increment(5);
      // past the second boundary, just before its tick: the tick and close() race for step 2
      long offset = StepSchedule.offsetMillis(f.stepMillis);
      f.ticks.advanceTimeBy(Duration.ofMillis(f.boundary(2) + offset - 1 - f.clock.wallTime()));

      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Void> tick = CompletableFuture.runAsync(() -> {
        await(start);
        f.ticks.advanceTimeBy(Duration.ofMillis(2));
      });
      await(start);
      f.publisher.close();
      tick.get(10, TimeUnit.SECONDS);
      f.ticks.advanceTimeBy(Duration.ofSeconds(10));

      List<Datapoint> points = counterPoints(backend);
      assertThat(points).extracting(Datapoint::timestamp).as("no step sent twice").doesNotHaveDuplicates();
      assertThat(sum(points)).as("no increment missing").isEqualTo(8.0);
      assertThat(points).extracting(Datapoint::timestamp)
          .as("step 1 by its tick, step 2 by its tick or by close, then the partial step 3")
          .containsExactlyInAnyOrder(f.boundary(1), f.boundary(2), f.boundary(3));
      assertThat(f.publisher.status().state()).isEqualTo(PublisherStatus.State.STOPPED);
    }
  }

  @Test
  void closeSendsTheLastCompletedStepWhenNoTickTookItAndThenThePartialStep() {
    try (ScriptedBackend backend = new ScriptedBackend(); PublisherFixture f = fixture(backend)) {
      f.publisher.start();
      f.registry.counter(COUNTER).increment(1);
      f.advanceOneStep();
      f.awaitIdle();
      f.registry.counter(COUNTER).increment(2);
      // past the boundary, before the tick
      f.ticks.advanceTimeBy(Duration.ofMillis(f.boundary(2) + 1 - f.clock.wallTime()));
      f.registry.counter(COUNTER).increment(4);

      f.publisher.close();

      List<Datapoint> points = counterPoints(backend);
      assertThat(points).extracting(Datapoint::timestamp).containsExactly(f.boundary(1), f.boundary(2), f.boundary(3));
      assertThat(points).extracting(Datapoint::value)
          .as("a value recorded between a boundary and its poll counts in the step that ended")
          .containsExactly(1.0, 6.0, 0.0);
    }
  }

  @Test
  void closeAfterTheTickSendsOnlyThePartialStep() {
    try (ScriptedBackend backend = new ScriptedBackend(); PublisherFixture f = fixture(backend)) {
      f.publisher.start();
      f.registry.counter(COUNTER).increment(1);
      f.advanceOneStep();
      f.awaitIdle();
      f.registry.counter(COUNTER).increment(2);
      f.advanceOneStep();
      f.registry.counter(COUNTER).increment(4);

      f.publisher.close();

      List<Datapoint> points = counterPoints(backend);
      assertThat(points).extracting(Datapoint::timestamp).containsExactly(f.boundary(1), f.boundary(2), f.boundary(3));
      assertThat(points).extracting(Datapoint::value).containsExactly(1.0, 2.0, 4.0);
      assertThat(f.sent()).isEqualTo(backend.datapoints().size());
    }
  }

  @Test
  void closeIsBoundedByTheShutdownTimeoutWhenTheBackendHangsAndCountsWhatWasLost() {
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, Duration.ofSeconds(1),
            c -> c.withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(30))
                .withShutdownTimeout(Duration.ofMillis(300)))) {
      f.publisher.start();
      f.registry.counter(COUNTER).increment();
      backend.hold();
      int first = f.advanceOneStep().size();
      PublisherFixture.soon().until(() -> backend.received.size() == 1);

      f.publisher.close();

      PublisherStatus status = f.publisher.status();
      assertThat(status.state()).isEqualTo(PublisherStatus.State.STOPPED);
      assertThat(status.sent()).isZero();
      // the hung step, the partial step: all cancelled at the deadline and counted as dropped
      assertThat(status.dropped()).isGreaterThanOrEqualTo(first);
      assertThat((double) status.dropped()).as("counted in the registry too").isEqualTo(f.dropped("other"));
      assertThat(status.lastError()).contains("shutdown timeout");
    }
  }

  @Test
  void closeTwiceFlushesOnce() {
    try (ScriptedBackend backend = new ScriptedBackend(); PublisherFixture f = fixture(backend)) {
      f.publisher.start();
      f.registry.counter(COUNTER).increment();

      f.publisher.close();
      int requests = backend.received.size();
      f.publisher.close();

      assertThat(requests).isEqualTo(1);
      assertThat(backend.received).hasSize(requests);
    }
  }

  @Test
  void noStepIsPolledOrSentAfterClose() {
    try (ScriptedBackend backend = new ScriptedBackend(); PublisherFixture f = fixture(backend)) {
      f.publisher.start();
      f.registry.counter(COUNTER).increment();
      f.publisher.close();
      long lastPoll = f.registry.lastPollTimestamp();
      int requests = backend.received.size();

      f.ticks.advanceTimeBy(Duration.ofSeconds(30));

      assertThat(f.registry.lastPollTimestamp()).isEqualTo(lastPoll);
      assertThat(backend.received).hasSize(requests);
    }
  }

  @Test
  void closeWithoutStartStillFlushesWhatWasRecorded() {
    try (ScriptedBackend backend = new ScriptedBackend(); PublisherFixture f = fixture(backend)) {
      f.registry.counter(COUNTER).increment(7);

      f.publisher.close();

      assertThat(sum(counterPoints(backend))).isEqualTo(7.0);
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
