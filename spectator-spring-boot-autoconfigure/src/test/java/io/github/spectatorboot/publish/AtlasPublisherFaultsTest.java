package io.github.spectatorboot.publish;

import static io.github.spectatorboot.publish.ScriptedBackend.json;
import static io.github.spectatorboot.publish.ScriptedBackend.status;
import static org.assertj.core.api.Assertions.assertThat;
import static io.github.spectatorboot.publish.PublisherFixture.soon;

import io.github.spectatorboot.publish.PublisherConfig.Format;
import io.github.spectatorboot.registry.StepSnapshot;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One test per way the backend misbehaves. Each one checks the same things: every step is polled
 * on time, each measurement sent is counted exactly once as sent or dropped with the right error,
 * and the first step after the backend recovers is published. Ticks run on the test thread, so a
 * tick that waited for the network would hang the test: the hung-backend test holds a request
 * while the test keeps recording and ticking.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AtlasPublisherFaultsTest {

  /** Records a few meters: one counter, one timer (4 statistics) and one gauge. */
  static void record(PublisherFixture f) {
    f.registry.counter("server.requests", "status", "200").increment(10);
    f.registry.timer("server.latency").record(20, TimeUnit.MILLISECONDS);
    f.registry.gauge("queue.size").set(3);
  }

  /** Publishes one step that the backend fails, then checks that the next one goes through. */
  static void assertRecoversOnTheNextStep(PublisherFixture f, ScriptedBackend backend) {
    int before = backend.received.size();
    double sentBefore = f.sent();
    record(f);

    StepSnapshot step = f.advanceOneStep();
    f.awaitIdle();

    assertThat(step.timestamp()).isEqualTo(f.boundary(2));
    assertThat(backend.received).hasSize(before + 1);
    RecordedRequest request = backend.received.get(before);
    assertThat(ScriptedBackend.datapoints(request)).hasSize(step.size())
        .allSatisfy(p -> assertThat(p.timestamp()).isEqualTo(f.boundary(2)));
    assertThat(f.sent() - sentBefore).isEqualTo(step.size());
    PublisherStatus status = f.publisher.status();
    assertThat(status.lastSuccess()).isNotNull();
    assertThat(status.lastError()).isNull();
  }

  static UnaryOperator<PublisherConfig> same() {
    return c -> c;
  }

  @Test
  void backendRefusingConnectionsDropsTheStepAsOtherAndRecoversWhenItComesBack() {
    URI uri = ScriptedBackend.refusingUri("/api/v1/publish");
    int port = uri.getPort();
    try (PublisherFixture f = new PublisherFixture(uri, Format.PUBLISH, same())) {
      f.publisher.start();
      record(f);

      StepSnapshot step = f.advanceOneStep();
      f.awaitIdle();

      assertThat(step.timestamp()).isEqualTo(f.boundary(1));
      assertThat(f.dropped("other")).isEqualTo(step.size());
      assertThat(f.sent()).isZero();
      PublisherStatus status = f.publisher.status();
      assertThat(status.dropped()).isEqualTo(step.size());
      assertThat(status.lastError()).containsIgnoringCase("refused");
      assertThat(status.lastSuccess()).isNull();
      assertThat(status.lastAttempt()).isNotNull();

      try (ScriptedBackend backend = new ScriptedBackend(port)) {
        assertRecoversOnTheNextStep(f, backend);
      }
    }
  }

  @Test
  void backendAnswering500IsNotRetriedAndDropsTheStepAsHttpError() {
    try (ScriptedBackend backend = new ScriptedBackend().enqueue(status(500));
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, same())) {
      f.publisher.start();
      record(f);

      StepSnapshot step = f.advanceOneStep();
      f.awaitIdle();

      assertThat(backend.received).hasSize(1);
      assertThat(f.dropped("http-error")).isEqualTo(step.size());
      assertThat(f.sent()).isZero();
      assertThat(f.publisher.status().lastError()).contains("HTTP 500");
      assertRecoversOnTheNextStep(f, backend);
    }
  }

  @Test
  void backendAnswering503IsRetriedThreeTimesInAllThenDropsTheStepAsHttpError() {
    try (ScriptedBackend backend = new ScriptedBackend().enqueue(status(503), status(503), status(503));
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, same())) {
      f.publisher.start();
      record(f);

      StepSnapshot step = f.advanceOneStep();
      f.awaitIdle();

      assertThat(backend.received).as("three attempts, the same body each time").hasSize(3);
      assertThat(backend.received).extracting(r -> r.getBody()).containsOnly(backend.received.get(0).getBody());
      assertThat(f.dropped("http-error")).isEqualTo(step.size());
      assertThat(f.sent()).isZero();
      assertThat(f.publisher.status().lastError()).contains("HTTP 503");
      assertRecoversOnTheNextStep(f, backend);
    }
  }

  @Test
  void backendAnswering503ThenRecoveringWithinTheRetriesLosesNothing() {
    try (ScriptedBackend backend = new ScriptedBackend().enqueue(status(503), status(503));
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, same())) {
      f.publisher.start();
      record(f);

      StepSnapshot step = f.advanceOneStep();
      f.awaitIdle();

      assertThat(backend.received).hasSize(3);
      assertThat(f.sent()).isEqualTo(step.size());
      assertThat(f.dropped("http-error")).isZero();
      assertThat(f.publisher.status().lastError()).isNull();
    }
  }

  @Test
  void backendAnswering429IsRetriedThreeTimesInAllThenDropsTheStepAsHttpError() {
    try (ScriptedBackend backend = new ScriptedBackend().enqueue(status(429), status(429), status(429));
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, same())) {
      f.publisher.start();
      record(f);

      StepSnapshot step = f.advanceOneStep();
      f.awaitIdle();

      assertThat(backend.received).hasSize(3);
      assertThat(f.dropped("http-error")).isEqualTo(step.size());
      assertThat(f.publisher.status().lastError()).contains("HTTP 429");
      assertRecoversOnTheNextStep(f, backend);
    }
  }

  @Test
  void backendSlowerThanTheReadTimeoutIsNotRetriedAndDropsTheStepAsOther() {
    MockResponse slow = new MockResponse.Builder().code(200).body("{}").headersDelay(2, TimeUnit.SECONDS).build();
    try (ScriptedBackend backend = new ScriptedBackend().enqueue(slow);
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH,
            c -> c.withTimeouts(Duration.ofMillis(500), Duration.ofMillis(300)))) {
      f.publisher.start();
      record(f);

      StepSnapshot step = f.advanceOneStep();
      f.awaitIdle();

      assertThat(backend.received).hasSize(1);
      assertThat(f.dropped("other")).isEqualTo(step.size());
      assertThat(f.publisher.status().lastError()).contains("ReadTimeout");
      assertRecoversOnTheNextStep(f, backend);
    }
  }

  @Test
  void backendAnswering202CountsTheRejectedMeasurementsAsValidationAndTheRestAsSent() {
    String partial = "{\"type\":\"partial\",\"errorCount\":2,\"message\":["
        + "\"tag key too long (tags={name=x})\",\"too many tags (tags={name=y})\"]}";
    try (ScriptedBackend backend = new ScriptedBackend().enqueue(json(202, partial));
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, same())) {
      f.publisher.start();
      record(f);

      StepSnapshot step = f.advanceOneStep();
      f.awaitIdle();

      assertThat(backend.received).hasSize(1);
      assertThat(f.dropped("validation")).isEqualTo(2);
      assertThat(f.sent()).isEqualTo(step.size() - 2);
      PublisherStatus status = f.publisher.status();
      assertThat(status.lastSuccess()).as("the backend answered").isNotNull();
      assertThat(status.lastError()).contains("2 of " + step.size()).contains("tag key too long (tags={name=x})");
      assertRecoversOnTheNextStep(f, backend);
    }
  }

  @Test
  void backendAnswering400IsNotRetriedAndCountsEveryMeasurementAsValidation() {
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, same())) {
      f.publisher.start();
      record(f);
      int n = f.registry.peek().size();
      backend.enqueue(json(400, "{\"type\":\"error\",\"errorCount\":" + n + ",\"message\":[\"invalid name (tags={})\"]}"));

      StepSnapshot step = f.advanceOneStep();
      f.awaitIdle();

      assertThat(step.size()).isEqualTo(n);
      assertThat(backend.received).hasSize(1);
      assertThat(f.dropped("validation")).isEqualTo(n);
      assertThat(f.sent()).isZero();
      assertThat(f.publisher.status().lastError()).contains("invalid name");
      assertRecoversOnTheNextStep(f, backend);
    }
  }

  @Test
  void otherClientErrorsAreNotRetriedAndCountAsHttpError() {
    try (ScriptedBackend backend = new ScriptedBackend().enqueue(status(413));
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, same())) {
      f.publisher.start();
      record(f);

      StepSnapshot step = f.advanceOneStep();
      f.awaitIdle();

      assertThat(backend.received).hasSize(1);
      assertThat(f.dropped("http-error")).isEqualTo(step.size());
      assertRecoversOnTheNextStep(f, backend);
    }
  }

  @Test
  void backendResettingTheConnectionMidBodyIsNotRetriedAndDropsTheStepAsOther() {
    MockResponse reset = new MockResponse.Builder()
        .code(200)
        .body("{\"padding\":\"" + "x".repeat(64 * 1024) + "\"}")
        .throttleBody(1024, 10, TimeUnit.MILLISECONDS)
        .onResponseBody(new SocketEffect.CloseSocket())
        .build();
    try (ScriptedBackend backend = new ScriptedBackend().enqueue(reset);
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, same())) {
      f.publisher.start();
      record(f);

      StepSnapshot step = f.advanceOneStep();
      f.awaitIdle();

      assertThat(backend.received).as("the backend may have counted it: no retry").hasSize(1);
      assertThat(f.dropped("other")).isEqualTo(step.size());
      assertThat(f.sent()).isZero();
      assertRecoversOnTheNextStep(f, backend);
    }
  }

  @Test
  void backendHangingMakesLaterStepsSkippedNotQueuedAndTheNextStepAfterItAnswersIsSent() {
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH,
            c -> c.withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(30)))) {
      f.publisher.start();
      backend.hold();
      record(f);

      StepSnapshot first = f.advanceOneStep();
      soon().until(() -> backend.received.size() == 1);
      // the application keeps recording, and the schedule keeps polling, while the request hangs
      for (int k = 2; k <= 4; k++) {
        record(f);
        assertThat(f.advanceOneStep().timestamp()).isEqualTo(f.boundary(k));
        assertThat(f.publisher.publishesInFlight()).as("never more than one step held").isEqualTo(1);
      }
      assertThat(f.publisher.status().skippedSteps()).isEqualTo(3);
      assertThat(backend.received).as("nothing queued behind the hung request").hasSize(1);

      backend.release();
      f.awaitIdle();
      assertThat(f.sent()).isEqualTo(first.size());

      record(f);
      StepSnapshot fifth = f.advanceOneStep();
      f.awaitIdle();
      assertThat(backend.received).hasSize(2);
      assertThat(ScriptedBackend.datapoints(backend.received.get(1)))
          .as("the next step is sent, not the skipped ones")
          .allSatisfy(p -> assertThat(p.timestamp()).isEqualTo(f.boundary(5)));
      assertThat(f.sent()).isEqualTo(first.size() + fifth.size());
      assertThat(f.dropped("other") + f.dropped("http-error") + f.dropped("validation")).isZero();
    }
  }
}
