package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The publisher's own meters, in the registry it publishes, named as Spectator Java names them:
 * {@code spectator.measurements{id=sent}}, {@code spectator.measurements{id=dropped,
 * error=validation|http-error|other}} ({@code ValidationHelper}) and the timer
 * {@code spectator.atlas.publishTaskTime{id=sendToAtlas}} ({@code AtlasRegistry}), which here
 * times one step from encoding to the last answer.
 */
final class PublishMeters {

  static final String MEASUREMENTS = "spectator.measurements";
  static final String PUBLISH_TASK_TIME = "spectator.atlas.publishTaskTime";

  private final Counter sent;
  private final Counter droppedValidation;
  private final Counter droppedHttp;
  private final Counter droppedOther;
  private final Timer publishTime;

  PublishMeters(Registry registry) {
    Id base = registry.createId(MEASUREMENTS);
    Id dropped = base.withTag("id", "dropped");
    this.sent = registry.counter(base.withTag("id", "sent"));
    this.droppedValidation = registry.counter(dropped.withTag("error", "validation"));
    this.droppedHttp = registry.counter(dropped.withTag("error", "http-error"));
    this.droppedOther = registry.counter(dropped.withTag("error", "other"));
    this.publishTime = registry.timer(PUBLISH_TASK_TIME, "id", "sendToAtlas");
  }

  void record(BatchOutcome outcome) {
    add(sent, outcome.sent());
    add(droppedValidation, outcome.droppedValidation());
    add(droppedHttp, outcome.droppedHttp());
    add(droppedOther, outcome.droppedOther());
  }

  void recordPublishTime(long nanos) {
    publishTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  private static void add(Counter counter, int n) {
    if (n > 0) {
      counter.increment(n);
    }
  }
}
