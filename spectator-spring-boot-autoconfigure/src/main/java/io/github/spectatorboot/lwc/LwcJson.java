package io.github.spectatorboot.lwc;

import com.netflix.spectator.atlas.impl.EvalPayload;
import com.netflix.spectator.atlas.impl.Subscription;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two lwcapi bodies: the expressions list it serves ({@code {"expressions":[{"expression",
 * "exprType","frequency","id"}]}}, unknown fields ignored) and the evaluation results posted to it
 * ({@code {"timestamp":t,"metrics":[{"id","tags","value"}],"messages":[]}}).
 */
final class LwcJson {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LwcJson() {}

  /** The subscriptions of an expressions body; entries without an id or expression are left out. */
  static List<Subscription> parseExpressions(byte[] body) {
    JsonNode root = JSON.readTree(body);
    List<Subscription> out = new ArrayList<>();
    for (JsonNode e : root.path("expressions")) {
      JsonNode expression = e.get("expression");
      JsonNode id = e.get("id");
      if (expression == null || !expression.isString() || id == null || !id.isString()) {
        continue;
      }
      JsonNode type = e.get("exprType");
      out.add(new Subscription()
          .withId(id.stringValue())
          .withExpression(expression.stringValue())
          .withExprType(type != null && type.isString() ? type.stringValue() : null)
          .withFrequency(e.path("frequency").asLong(0L)));
    }
    return out;
  }

  /** One POST body for {@code payload}, gzip-compressed when {@code gzip}. */
  static byte[] evalBody(EvalPayload payload, boolean gzip) {
    var bytes = new ByteArrayOutputStream(256 + 128 * payload.getMetrics().size());
    try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes;
        JsonGenerator gen = JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeNumberProperty("timestamp", payload.getTimestamp());
      gen.writeArrayPropertyStart("metrics");
      for (EvalPayload.Metric m : payload.getMetrics()) {
        if (!Double.isFinite(m.getValue())) {
          continue; // JSON has no infinity; the sum of a step cannot be represented anyway
        }
        gen.writeStartObject();
        gen.writeStringProperty("id", m.getId());
        gen.writeObjectPropertyStart("tags");
        for (Map.Entry<String, String> tag : m.getTags().entrySet()) {
          gen.writeStringProperty(tag.getKey(), tag.getValue());
        }
        gen.writeEndObject();
        gen.writeNumberProperty("value", m.getValue());
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeArrayPropertyStart("messages");
      gen.writeEndArray();
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
