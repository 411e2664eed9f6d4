package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.spectatorboot.publish.PublisherConfig.Format;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PublisherConfigTest {

  static PublisherConfig config(String uri, Format format) {
    return new PublisherConfig(URI.create(uri), format, Duration.ofSeconds(5), 10_000,
        Duration.ofSeconds(1), Duration.ofSeconds(10), 4, Duration.ofSeconds(5));
  }

  @Test
  void autoPicksTheAggregatorForTheUpdatePath() {
    assertThat(config("http://aggr:7101/api/v4/update", Format.AUTO).resolvedFormat()).isEqualTo(Format.AGGREGATOR);
    assertThat(config("https://aggr/api/v4/update/", Format.AUTO).resolvedFormat()).isEqualTo(Format.AGGREGATOR);
  }

  @Test
  void autoPicksThePublishApiForAnyOtherPath() {
    assertThat(config("http://localhost:7101/api/v1/publish", Format.AUTO).resolvedFormat()).isEqualTo(Format.PUBLISH);
    assertThat(config("http://aggr/api/v4/update-internal", Format.AUTO).resolvedFormat()).isEqualTo(Format.PUBLISH);
  }

  @Test
  void anExplicitFormatWinsOverThePath() {
    assertThat(config("http://aggr/api/v4/update", Format.PUBLISH).resolvedFormat()).isEqualTo(Format.PUBLISH);
    assertThat(config("http://proxy/atlas", Format.AGGREGATOR).resolvedFormat()).isEqualTo(Format.AGGREGATOR);
  }

  @Test
  void defaultsFollowSpectatorAndSpectatorPy() {
    PublisherConfig publish = PublisherConfig.defaults(PublisherConfig.DEFAULT_URI);
    assertThat(publish.step()).isEqualTo(Duration.ofMinutes(1));
    assertThat(publish.batchSize()).isEqualTo(10_000);
    assertThat(publish.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(publish.readTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(publish.numThreads()).isEqualTo(4);
    assertThat(publish.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(PublisherConfig.defaults(URI.create("http://aggr/api/v4/update")).step()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void rejectsWhatCannotWork() {
    assertThatIllegalArgumentException().isThrownBy(() -> config("ftp://host/x", Format.AUTO)).withMessageContaining("uri");
    assertThatIllegalArgumentException().isThrownBy(() -> config("/api/v1/publish", Format.AUTO)).withMessageContaining("uri");
    PublisherConfig ok = config("http://host/x", Format.AUTO);
    assertThatIllegalArgumentException().isThrownBy(() -> ok.withBatchSize(0)).withMessageContaining("batchSize");
    assertThatIllegalArgumentException().isThrownBy(() -> ok.withNumThreads(0)).withMessageContaining("numThreads");
    assertThatIllegalArgumentException().isThrownBy(() -> ok.withStep(Duration.ZERO)).withMessageContaining("step");
    assertThatIllegalArgumentException().isThrownBy(() -> ok.withStep(Duration.ofNanos(1_500_000))).withMessageContaining("step");
    assertThatIllegalArgumentException().isThrownBy(() -> ok.withTimeouts(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
        .withMessageContaining("connectTimeout");
    assertThatIllegalArgumentException().isThrownBy(() -> ok.withShutdownTimeout(Duration.ZERO))
        .withMessageContaining("shutdownTimeout");
  }
}
