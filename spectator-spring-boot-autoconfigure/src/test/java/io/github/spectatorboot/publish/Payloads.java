package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.smile.SmileMapper;

/** Decodes request bodies of both formats back into plain values, for assertions. */
final class Payloads {

  /** Fails on a key written twice in one object, which the server would resolve silently. */
  static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** Reads Smile bodies as Atlas does, with the same duplicate check. */
  static final SmileMapper SMILE = SmileMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Payloads() {}

  /** Whether a (gunzipped) body is Smile: it starts with Smile's {@code :)\n}. */
  static boolean isSmile(byte[] body) {
    return body.length >= 4 && body[0] == ':' && body[1] == ')' && body[2] == '\n';
  }

  /** One aggregator entry: all its tags (with {@code name}), its op and its value. */
  record AggregatorEntry(Map<String, String> tags, int op, double value) {}

  /** One publish API datapoint: its tags merged over the common tags, timestamp and value. */
  record Datapoint(Map<String, String> tags, long timestamp, double value) {}

  static byte[] gunzip(byte[] body) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes on the wire of {@code batches}. */
  static long bodyBytes(List<EncodedBatch> batches) {
    return batches.stream().mapToLong(b -> b.body().length).sum();
  }

  /** The bytes on the wire of {@code batches} had their text been gzipped at level 1, as the encoders used to. */
  static long bodyBytesAtFastestLevel(List<EncodedBatch> batches) {
    return batches.stream().mapToLong(b -> gzipFastest(gunzip(b.body())).length).sum();
  }

  private static byte[] gzipFastest(byte[] text) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes) {
      {
        def.setLevel(java.util.zip.Deflater.BEST_SPEED);
      }
    }) {
      out.write(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The tree of a gzipped body, Smile or JSON. */
  static JsonNode tree(byte[] gzipped) {
    byte[] body = gunzip(gzipped);
    return isSmile(body) ? readSmile(body) : JSON.readTree(body);
  }

  /**
   * Reads a Smile body, first checking it holds no byte {@code 0xFE} or {@code 0xFF}: Smile keeps
   * them out of content (0xFF ends a stream), which is why a writer skips the back-references whose
   * index ends in them. Jackson's parser would read such a reference without complaint.
   */
  static JsonNode readSmile(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      if ((body[i] & 0xFE) == 0xFE) {
        throw new AssertionError(String.format("byte 0x%02X at %d of a %d-byte Smile body", body[i] & 0xFF, i,
            body.length));
      }
    }
    JsonNode tree = SMILE.readTree(body);
    assertThat(JSON.readTree(readWithJackson2(body))).as("the same body read by Jackson 2").isEqualTo(tree);
    return tree;
  }

  /**
   * {@code body} read by Jackson 2.x, as shaded into {@code spectator-reg-atlas} for its own Smile
   * bodies, and written back as JSON text: Atlas itself reads with Jackson 2. The shaded package
   * name holds a hyphen, so the classes are reached by name.
   */
  static String readWithJackson2(byte[] body) {
    try {
      return Jackson2.READ_TREE.invoke(Jackson2.SMILE_MAPPER, (Object) body).toString();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Jackson 2 could not read the body", e);
    }
  }

  /** Loaded on first use, so that only the Smile checks depend on spectator-reg-atlas's shaded package name. */
  private static final class Jackson2 {
    static final Object SMILE_MAPPER;
    static final Method READ_TREE;

    static {
      String shaded = "com.netflix.spectator.atlas.shaded.spectator-atlas.json.";
      try {
        Class<?> mapper = Class.forName(shaded + "databind.ObjectMapper");
        Object factory = Class.forName(shaded + "dataformat.smile.SmileFactory").getConstructor().newInstance();
        SMILE_MAPPER = mapper.getConstructor(Class.forName(shaded + "core.JsonFactory")).newInstance(factory);
        READ_TREE = mapper.getMethod("readTree", byte[].class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /** Decodes one aggregator array; each payload must stand on its own string table. */
  static List<AggregatorEntry> decodeAggregator(JsonNode array) {
    int n = array.get(0).intValue();
    List<String> strings = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      strings.add(array.get(i).stringValue());
    }
    List<AggregatorEntry> entries = new ArrayList<>();
    int pos = n + 1;
    while (pos < array.size()) {
      int tagCount = array.get(pos++).intValue();
      Map<String, String> tags = new TreeMap<>();
      for (int t = 0; t < tagCount; t++) {
        String key = strings.get(array.get(pos++).intValue());
        String value = strings.get(array.get(pos++).intValue());
        if (tags.put(key, value) != null) {
          throw new AssertionError("tag " + key + " written twice in one entry");
        }
      }
      int op = array.get(pos++).intValue();
      double value = array.get(pos++).doubleValue();
      entries.add(new AggregatorEntry(tags, op, value));
    }
    return entries;
  }

  /** Decodes one publish API body. */
  static List<Datapoint> decodePublish(JsonNode body) {
    Map<String, String> common = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : body.get("tags").properties()) {
      common.put(e.getKey(), e.getValue().stringValue());
    }
    List<Datapoint> points = new ArrayList<>();
    for (JsonNode metric : body.get("metrics")) {
      Map<String, String> tags = new TreeMap<>(common);
      for (Map.Entry<String, JsonNode> e : metric.get("tags").properties()) {
        tags.put(e.getKey(), e.getValue().stringValue());
      }
      points.add(new Datapoint(tags, metric.get("timestamp").longValue(), metric.get("value").doubleValue()));
    }
    return points;
  }

  static boolean closeEnough(double expected, double actual) {
    if (expected == actual) {
      return true;
    }
    return Math.abs(expected - actual) <= 1e-9 * Math.max(Math.abs(expected), Math.abs(actual));
  }
}
