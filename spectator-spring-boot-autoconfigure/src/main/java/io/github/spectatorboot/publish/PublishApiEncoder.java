package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Id;
import io.github.spectatorboot.registry.AtlasNames;
import io.github.spectatorboot.registry.StepSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * Encodes a step for the Atlas publish API ({@code /api/v1/publish}) in the layout of Spectator
 * Java's {@code PublishPayload}: {@code {"tags":{common tags},"metrics":[{"tags":{...},
 * "timestamp":<end of step, ms>,"value":...}]}}.
 *
 * <p>Every measurement of the snapshot is sent, zeros included: idle counters and timers report 0
 * until their meter expires, as Spectator Java does. Counting statistics are rates per second
 * with {@code atlas.dstype=rate}, gauges and maxima values with {@code atlas.dstype=gauge}. The
 * common tags stay at the top level, as Spectator Java sends them.
 */
final class PublishApiEncoder implements PayloadEncoder {

  @Override public List<EncodedBatch> encode(StepSnapshot snapshot, int batchSize) {
    int n = snapshot.size();
    List<EncodedBatch> batches = new ArrayList<>((n + batchSize - 1) / batchSize);
    // a compressed metric takes 12 bytes or so
    JsonBodies bodies = new JsonBodies(Math.min(n, batchSize) * 16);
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      batches.add(new EncodedBatch(encodeBatch(snapshot, from, to, bodies), to - from));
    }
    return batches;
  }

  private static byte[] encodeBatch(StepSnapshot snapshot, int from, int to, JsonBodies bodies) {
    long timestamp = snapshot.timestamp();
    JsonGenerator gen = bodies.start();
    gen.writeStartObject();
    gen.writeName("tags");
    gen.writeStartObject();
    for (Map.Entry<String, String> tag : snapshot.commonTags().entrySet()) {
      gen.writeStringProperty(tag.getKey(), tag.getValue());
    }
    gen.writeEndObject();
    gen.writeName("metrics");
    gen.writeStartArray();
    for (int i = from; i < to; i++) {
      Id id = snapshot.id(i);
      gen.writeStartObject();
      gen.writeName("tags");
      gen.writeStartObject();
      gen.writeStringProperty(AtlasNames.NAME, id.name());
      gen.writeStringProperty(AtlasNames.STATISTIC, snapshot.statistic(i));
      gen.writeStringProperty(AtlasNames.DS_TYPE, snapshot.isRate(i) ? AtlasNames.DS_TYPE_RATE : AtlasNames.DS_TYPE_GAUGE);
      for (int t = 1; t < id.size(); t++) {
        String key = id.getKey(t);
        if (!isReserved(key)) {
          gen.writeStringProperty(key, id.getValue(t));
        }
      }
      gen.writeEndObject();
      gen.writeNumberProperty("timestamp", timestamp);
      gen.writeName("value");
      bodies.writeValue(gen, snapshot.rate(i));
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
    return bodies.finish(gen);
  }

  /** Keys this encoder writes itself; the id's own copy (its {@code statistic} tag, say) is not repeated. */
  private static boolean isReserved(String key) {
    return key.equals(AtlasNames.STATISTIC) || key.equals(AtlasNames.NAME) || key.equals(AtlasNames.DS_TYPE);
  }
}
