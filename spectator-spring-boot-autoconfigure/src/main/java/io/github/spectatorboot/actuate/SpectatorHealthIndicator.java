package io.github.spectatorboot.actuate;

import io.github.spectatorboot.lwc.LwcStatus;
import io.github.spectatorboot.publish.AtlasPublisher;
import io.github.spectatorboot.publish.PublisherStatus;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code spectator} health contributor: the publisher's state. It is {@code UP} while the last
 * publish delivered everything, and {@code UNKNOWN}, with the last error, before the first publish
 * and while publishing fails. Never {@code DOWN}: a metrics outage must not take the application
 * out of its load balancer.
 */
public class SpectatorHealthIndicator implements HealthIndicator {

  private final AtlasPublisher publisher;
  private final URI uri;
  private final Supplier<@Nullable LwcStatus> lwc;

  /** Health of {@code publisher}, which publishes to {@code uri}. */
  public SpectatorHealthIndicator(AtlasPublisher publisher, URI uri) {
    this(publisher, uri, () -> null);
  }

  /**
   * As {@link #SpectatorHealthIndicator(AtlasPublisher, URI)}, with the LWC streamer's state as
   * the {@code lwc} detail; streaming problems show there and never change the status.
   */
  public SpectatorHealthIndicator(AtlasPublisher publisher, URI uri, Supplier<@Nullable LwcStatus> lwc) {
    this.publisher = publisher;
    this.uri = uri;
    this.lwc = lwc;
  }

  @Override public Health health() {
    PublisherStatus s = publisher.status();
    boolean healthy = s.state() == PublisherStatus.State.RUNNING && s.lastSuccess() != null && s.lastError() == null;
    Health.Builder builder = healthy ? Health.up() : Health.unknown();
    builder.withDetail("uri", uri.toString())
        .withDetail("format", publisher.format().name().toLowerCase(java.util.Locale.ROOT))
        .withDetail("state", s.state().name())
        .withDetail("sent", s.sent())
        .withDetail("dropped", s.dropped())
        .withDetail("skippedSteps", s.skippedSteps());
    if (s.lastAttempt() != null) {
      builder.withDetail("lastAttempt", s.lastAttempt().toString());
    }
    if (s.lastSuccess() != null) {
      builder.withDetail("lastSuccess", s.lastSuccess().toString());
    }
    if (s.lastError() != null) {
      builder.withDetail("lastError", s.lastError());
    }
    LwcStatus streaming = lwc.get();
    if (streaming != null) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("running", streaming.running());
      detail.put("subscriptions", streaming.subscriptions().size());
      detail.put("lastFetch", streaming.lastFetch());
      detail.put("sent", streaming.sent());
      detail.put("dropped", streaming.dropped());
      if (streaming.lastError() != null) {
        detail.put("lastError", streaming.lastError());
      }
      builder.withDetail("lwc", detail);
    }
    return builder.build();
  }
}
