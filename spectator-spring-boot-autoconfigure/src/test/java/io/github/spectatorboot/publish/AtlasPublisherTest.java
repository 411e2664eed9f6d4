package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static io.github.spectatorboot.publish.PublisherFixture.soon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.netflix.spectator.api.Clock;
import io.github.spectatorboot.publish.Payloads.AggregatorEntry;
import io.github.spectatorboot.publish.Payloads.Datapoint;
import io.github.spectatorboot.publish.PublisherConfig.Format;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;

/** The schedule, the wire, the publisher's own meters and its logging. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AtlasPublisherTest {

  @Test
  void pollsJustAfterEachStepBoundaryWithASmallOffset() {
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, c -> c)) {
      long offset = StepSchedule.offsetMillis(f.stepMillis);
      assertThat(offset).isEqualTo(100);
      f.publisher.start();
      long beforeTick = f.boundary(1) + offset - 1 - f.clock.wallTime();

      f.ticks.advanceTimeBy(Duration.ofMillis(beforeTick));
      assertThat(f.registry.lastPollTimestamp()).as("past the boundary, before the offset").isEqualTo(f.boundary(0));

      f.ticks.advanceTimeBy(Duration.ofMillis(1));
      assertThat(f.registry.lastPollTimestamp()).isEqualTo(f.boundary(1));

      for (int k = 2; k <= 5; k++) {
        f.ticks.advanceTimeBy(Duration.ofMillis(f.stepMillis));
        assertThat(f.registry.lastPollTimestamp()).as("one poll per step").isEqualTo(f.boundary(k));
      }
    }
  }

  @Test
  void offsetIsTwoPercentOfTheStepBetweenOneMillisecondAndOneSecond() {
    assertThat(StepSchedule.offsetMillis(10)).isEqualTo(1);
    assertThat(StepSchedule.offsetMillis(1_000)).isEqualTo(20);
    assertThat(StepSchedule.offsetMillis(5_000)).isEqualTo(100);
    assertThat(StepSchedule.offsetMillis(60_000)).isEqualTo(1_000);
    assertThat(StepSchedule.offsetMillis(3_600_000)).isEqualTo(1_000);
  }

  @ParameterizedTest
  @EnumSource(PublisherConfig.Encoding.class)
  void requestsAreGzippedSmileOrJsonWithTimestampsAtTheEndOfTheStep(PublisherConfig.Encoding encoding) {
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.AUTO,
            c -> c.withEncoding(encoding))) {
      assertThat(f.publisher.encoding()).isEqualTo(encoding);
      f.publisher.start();
      f.registry.counter("server.requests").increment(10);

      f.advanceOneStep();
      f.awaitIdle();

      RecordedRequest request = backend.received.get(0);
      assertThat(request.getMethod()).isEqualTo("POST");
      assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/publish");
      assertThat(request.getHeaders().get("Content-Encoding")).isEqualTo("gzip");
      boolean smile = encoding == PublisherConfig.Encoding.SMILE;
      assertThat(request.getHeaders().get("Content-Type"))
          .startsWith(smile ? "application/x-jackson-smile" : "application/json");
      assertThat(Payloads.isSmile(Payloads.gunzip(request.getBody().toByteArray()))).isEqualTo(smile);
      assertThat(ScriptedBackend.datapoints(request))
          .filteredOn(p -> p.tags().get("name").equals("server.requests"))
          .singleElement()
          .satisfies(p -> {
            assertThat(p.timestamp()).isEqualTo(f.boundary(1));
            assertThat(p.value()).isEqualTo(2.0);
            assertThat(p.tags()).containsEntry("nf.app", "test").containsEntry("atlas.dstype", "rate");
          });
    }
  }

  @Test
  void theUpdatePathSelectsTheAggregatorFormatWithRawDeltas() {
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v4/update"), Format.AUTO, c -> c)) {
      assertThat(f.publisher.format()).isEqualTo(Format.AGGREGATOR);
      f.publisher.start();
      f.registry.counter("server.requests").increment(10);

      f.advanceOneStep();
      f.awaitIdle();

      List<AggregatorEntry> entries = ScriptedBackend.entries(backend.received.get(0));
      assertThat(entries).filteredOn(e -> e.tags().get("name").equals("server.requests"))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.op()).isEqualTo(AggregatorEncoder.OP_ADD);
            assertThat(e.value()).isEqualTo(10.0);
            assertThat(e.tags()).containsEntry("nf.app", "test");
          });
      assertThat(f.sent()).isEqualTo(entries.size());
    }
  }

  @Test
  void atMostNumThreadsRequestsAreInFlight() {
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH,
            c -> c.withBatchSize(1).withNumThreads(2))) {
      f.publisher.start();
      for (int i = 0; i < 9; i++) {
        f.registry.counter("c" + i).increment();
      }
      backend.admitOneAtATime();

      int total = f.advanceOneStep().size();
      // Both threads hold a request before any is let through: admitting the first before the
      // second arrived would let the run pass with one in flight, or fail on a slow machine.
      soon().until(() -> backend.waiting() == 2);
      while (f.publisher.publishesInFlight() > 0) {
        soon().until(() -> backend.waiting() > 0 || f.publisher.publishesInFlight() == 0);
        if (backend.waiting() > 0) {
          backend.admitOne();
        }
      }

      backend.admitAll();
      assertThat(backend.received).hasSize(total);
      assertThat(backend.maxInFlight.get()).isEqualTo(2);
      assertThat(f.sent()).isEqualTo(total);
    }
  }

  @Test
  void ownMetersCountWhatWasSentAndTimeEachPublishUnderSpectatorJavasNames() {
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, c -> c)) {
      f.publisher.start();
      f.registry.counter("server.requests").increment();

      int first = f.advanceOneStep().size();
      f.awaitIdle();
      f.advanceOneStep();
      f.awaitIdle();

      List<Datapoint> second = ScriptedBackend.datapoints(backend.received.get(1));
      assertThat(second).filteredOn(p -> p.tags().get("name").equals("spectator.measurements")
              && "sent".equals(p.tags().get("id")))
          .singleElement()
          .satisfies(p -> assertThat(p.value()).isEqualTo(first / 5.0));
      assertThat(second).filteredOn(p -> p.tags().get("name").equals("spectator.measurements")
              && "dropped".equals(p.tags().get("id")))
          .extracting(p -> p.tags().get("error"))
          .containsExactlyInAnyOrder("validation", "http-error", "other");
      assertThat(second).filteredOn(p -> p.tags().get("name").equals("spectator.atlas.publishTaskTime"))
          .extracting(p -> p.tags().get("statistic"))
          .containsExactlyInAnyOrder("count", "totalTime", "totalOfSquares", "max");
      assertThat(second).filteredOn(p -> p.tags().get("name").equals("spectator.atlas.publishTaskTime"))
          .allSatisfy(p -> assertThat(p.tags()).containsEntry("id", "sendToAtlas"));
    }
  }

  @Test
  void failuresAreLoggedAtWarnAtMostOnceAMinuteWithTheServersMessagesAndNoBody() {
    Logger logger = (Logger) LoggerFactory.getLogger(AtlasPublisher.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO);
    String rejected = "{\"type\":\"error\",\"errorCount\":1,\"message\":[\"invalid value (tags={name=bad})\"]}";
    try (ScriptedBackend backend = new ScriptedBackend();
        PublisherFixture f = new PublisherFixture(backend.uri("/api/v1/publish"), Format.PUBLISH, c -> c)) {
      f.publisher.start();
      // a failure every 5 s step for just over a minute: 14 steps
      for (int k = 0; k < 14; k++) {
        backend.enqueue(ScriptedBackend.json(400, rejected));
        f.registry.counter("server.requests").increment();
        f.advanceOneStep();
        f.awaitIdle();
      }
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(level);
    }

    List<ILoggingEvent> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).as("the first failure, then one a minute later").hasSize(2);
    assertThat(warnings).allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("invalid value (tags={name=bad})"));
    assertThat(warnings.get(1).getFormattedMessage()).contains("11 similar warnings");
    List<String> logged = new ArrayList<>();
    appender.list.forEach(e -> logged.add(e.getFormattedMessage()));
    assertThat(logged).noneMatch(m -> m.contains("\"metrics\"") || m.contains("server.requests"));
  }

  @Test
  void runsOnAThreadOfItsOwnWithTheSystemClock() {
    Duration step = Duration.ofMillis(500);
    StepRegistry registry = new StepRegistry(Clock.SYSTEM,
        new StepRegistryConfig(step, Duration.ofMinutes(15), 1_000, Map.of()));
    try (ScriptedBackend backend = new ScriptedBackend()) {
      PublisherConfig config = PublisherConfig.defaults(backend.uri("/api/v1/publish")).withStep(step);
      try (AtlasPublisher publisher = new AtlasPublisher(registry, config, WebClient.builder())) {
        publisher.start();
        assertThat(publisher.status().state()).isEqualTo(PublisherStatus.State.RUNNING);
        registry.counter("c").increment();

        soon().until(() -> backend.received.size() >= 3);

        List<Long> stamps = backend.received.stream()
            .map(r -> ScriptedBackend.datapoints(r).get(0).timestamp())
            .toList();
        assertThat(stamps).isSorted().doesNotHaveDuplicates().allSatisfy(t -> assertThat(t % 500).isZero());
        publisher.close();
        assertThat(publisher.status().state()).isEqualTo(PublisherStatus.State.STOPPED);
      }
    }
  }

  @Test
  void theStepMustBeTheRegistrys() {
    StepRegistry registry = new StepRegistry(Clock.SYSTEM, StepRegistryConfig.defaults());
    PublisherConfig config = PublisherConfig.defaults(PublisherConfig.DEFAULT_URI).withStep(Duration.ofSeconds(5));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new AtlasPublisher(registry, config, WebClient.builder()))
        .withMessageContaining("step");
  }
}
