package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Id;
import io.github.spectatorboot.registry.AtlasNames;
import io.github.spectatorboot.registry.StepSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;

/**
 * Encodes a step for the Atlas publish API ({@code /api/v1/publish}) in the layout of Spectator
 * Java's {@code PublishPayload}: {@code {"tags":{common tags},"metrics":[{"tags":{...},
 * "timestamp":<end of step, ms>,"value":...}]}}, in Smile as {@code AtlasRegistry} sends it, or
 * in JSON text.
 *
 * <p>Every measurement of the snapshot is sent, zeros included: idle counters and timers report 0
 * until their meter expires, as Spectator Java does. Counting statistics are rates per second
 * with {@code atlas.dstype=rate}, gauges and maxima values with {@code atlas.dstype=gauge}. The
 * common tags stay at the top level, as Spectator Java sends them.
 *
 * <p>A meter's id does not change between steps, so what a measurement's tags become is derived
 * once and kept until the meter leaves the snapshots: in JSON, the text of the measurement up to
 * its timestamp ({@code {"tags":{...},"timestamp":}); in Smile, its keys and values as interned
 * strings ({@link SmileStrings}), each written in full once per body and referred back to after
 * that. A step only writes those, its timestamp and the values. One instance per publisher:
 * {@link #encode} is serialised; its batches are written and deflated by a {@link
 * BatchCompressor}, on several threads if it has them.
 */
final class PublishApiEncoder implements PayloadEncoder {

  /**
   * zlib's level 3 costs about what level 1 does on this JSON (its three fastest levels share one
   * matcher) and sends about 13% fewer bytes; level 4 takes twice the time.
   */
  static final int DEFLATE_LEVEL = 3;
  /**
   * On Smile, whose bodies repeat no string, level 1 takes a third less time than level 3 for 6%
   * more bytes, still fewer than JSON's at level 3.
   */
  static final int SMILE_DEFLATE_LEVEL = 1;

  private final boolean smile;
  /** What each measurement of the ids seen in the last step derives to: JSON text, or Smile string ids. */
  private final MeasurementCache<Object> heads;
  private final BatchCompressor compressor;
  private final SmileStrings strings = new SmileStrings();
  private int tagsKey;
  private int metricsKey;
  private int timestampKey;
  private int valueKey;
  /** Whether most interned strings belong to meters gone, to be forgotten before the next step. */
  private boolean forgetStrings;

  /** Every batch encoded on the calling thread, in Smile. */
  PublishApiEncoder() {
    this(true, BatchCompressor.SERIAL);
  }

  PublishApiEncoder(boolean smile, BatchCompressor compressor) {
    this.smile = smile;
    this.compressor = compressor;
    this.heads = new MeasurementCache<>(smile ? this::smileHead : PublishApiEncoder::head);
    internKeys();
  }

  @Override public MediaType contentType() {
    return PayloadEncoder.contentType(smile);
  }

  @Override public synchronized List<EncodedBatch> encode(StepSnapshot snapshot, int batchSize) {
    if (forgetStrings) {
      // heads refer to the strings by id: both start again
      strings.clear();
      heads.clear();
      internKeys();
      forgetStrings = false;
    }
    int n = snapshot.size();
    int count = (n + batchSize - 1) / batchSize;
    // the heads are looked up here, the bodies written and deflated by the compressor's threads
    Object[][] headsOf = new Object[count][];
    heads.startStep(n);
    for (int b = 0; b < count; b++) {
      int from = b * batchSize;
      Object[] h = new Object[Math.min(n, from + batchSize) - from];
      for (int j = 0; j < h.length; j++) {
        h[j] = heads.get(snapshot, from + j);
      }
      headsOf[b] = h;
    }
    // meters that left the snapshots take their heads with them
    if (heads.endStep() && smile && strings.size() > 2 * liveStrings() + 1024) {
      forgetStrings = true;
    }
    int expectedBytes = Math.min(n, batchSize) * 16;
    byte[][] bodies;
    if (smile) {
      int[] common = new int[2 * snapshot.commonTags().size()];
      int c = 0;
      for (Map.Entry<String, String> tag : snapshot.commonTags().entrySet()) {
        common[c++] = strings.intern(tag.getKey());
        common[c++] = strings.intern(tag.getValue());
      }
      byte[] timestamp = GzipWriter.smileLong(snapshot.timestamp());
      bodies = compressor.run(count, () -> new SmileWorker(snapshot, batchSize, headsOf, common, timestamp, expectedBytes));
    } else {
      bodies = compressor.run(count, () -> new JsonWorker(snapshot, batchSize, headsOf, expectedBytes));
    }
    List<EncodedBatch> batches = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      batches.add(new EncodedBatch(bodies[b], headsOf[b].length));
    }
    return batches;
  }

  /** How many strings are kept for the next steps (Smile). */
  synchronized int internedStrings() {
    return strings.size();
  }

  /** Writes JSON bodies on one thread, with its own deflater. */
  private static final class JsonWorker implements BatchCompressor.Worker {
    private final StepSnapshot snapshot;
    private final int batchSize;
    private final Object[][] headsOf;
    private final byte[] start;
    /** Every measurement of the step has its timestamp: formatted once, not 100,000 times. */
    private final byte[] timestampThenValue;
    private final GzipWriter out;

    JsonWorker(StepSnapshot snapshot, int batchSize, Object[][] headsOf, int expectedBytes) {
      this.snapshot = snapshot;
      this.batchSize = batchSize;
      this.headsOf = headsOf;
      this.start = batchStart(snapshot.commonTags());
      this.timestampThenValue = (snapshot.timestamp() + ",\"value\":").getBytes(StandardCharsets.US_ASCII);
      this.out = new GzipWriter(expectedBytes, DEFLATE_LEVEL);
    }

    @Override public byte[] encode(int batch) {
      Object[] h = headsOf[batch];
      int from = batch * batchSize;
      out.start();
      out.writeRaw(start);
      for (int j = 0; j < h.length; j++) {
        if (j > 0) {
          out.writeByte(',');
        }
        out.writeRaw((byte[]) h[j]);
        out.writeRaw(timestampThenValue);
        out.writeDouble(snapshot.rate(from + j));
        out.writeByte('}');
      }
      out.writeByte(']');
      out.writeByte('}');
      return out.finish();
    }

    @Override public void close() {
      out.close();
    }
  }

  /** Writes Smile bodies on one thread, with its own deflater and back-reference tables. */
  private final class SmileWorker implements BatchCompressor.Worker {
    private final StepSnapshot snapshot;
    private final int batchSize;
    private final Object[][] headsOf;
    private final int[] common;
    private final byte[] timestamp;
    private final SmileStrings.BackReferences refs = strings.backReferences();
    private final GzipWriter out;

    SmileWorker(StepSnapshot snapshot, int batchSize, Object[][] headsOf, int[] common, byte[] timestamp, int expectedBytes) {
      this.snapshot = snapshot;
      this.batchSize = batchSize;
      this.headsOf = headsOf;
      this.common = common;
      this.timestamp = timestamp;
      this.out = new GzipWriter(expectedBytes, SMILE_DEFLATE_LEVEL);
    }

    @Override public byte[] encode(int batch) {
      Object[] h = headsOf[batch];
      int from = batch * batchSize;
      out.start();
      refs.startBody();
      out.writeRaw(SmileStrings.HEADER_SHARED);
      out.writeByte(SmileStrings.START_OBJECT);
      refs.writeKey(out, tagsKey);
      writeTags(common);
      refs.writeKey(out, metricsKey);
      out.writeByte(SmileStrings.START_ARRAY);
      for (int j = 0; j < h.length; j++) {
        out.writeByte(SmileStrings.START_OBJECT);
        refs.writeKey(out, tagsKey);
        writeTags((int[]) h[j]);
        refs.writeKey(out, timestampKey);
        out.writeRaw(timestamp);
        refs.writeKey(out, valueKey);
        out.writeSmileDouble(snapshot.rate(from + j));
        out.writeByte(SmileStrings.END_OBJECT);
      }
      out.writeByte(SmileStrings.END_ARRAY);
      out.writeByte(SmileStrings.END_OBJECT);
      return out.finish();
    }

    /** An object of tags: interned keys and values, alternating. */
    private void writeTags(int[] tags) {
      out.writeByte(SmileStrings.START_OBJECT);
      for (int t = 0; t < tags.length; t += 2) {
        refs.writeKey(out, tags[t]);
        refs.writeValue(out, tags[t + 1]);
      }
      out.writeByte(SmileStrings.END_OBJECT);
    }

    @Override public void close() {
      out.close();
    }
  }

  private void internKeys() {
    tagsKey = strings.intern("tags");
    metricsKey = strings.intern("metrics");
    timestampKey = strings.intern("timestamp");
    valueKey = strings.intern("value");
  }

  /** How many distinct strings the keys and the heads kept use. */
  private int liveStrings() {
    return strings.distinct(users -> {
      users.accept(tagsKey);
      users.accept(metricsKey);
      users.accept(timestampKey);
      users.accept(valueKey);
      heads.forEachValue(h -> {
        for (int s : (int[]) h) {
          users.accept(s);
        }
      });
    });
  }

  /** The tags of one measurement as interned strings, keys and values alternating, in the order of {@link #head}. */
  private int[] smileHead(Id id, String statistic, boolean rate) {
    int[] tags = new int[2 * (id.size() + 2)];
    int p = 0;
    tags[p++] = strings.intern(AtlasNames.NAME);
    tags[p++] = strings.intern(id.name());
    tags[p++] = strings.intern(AtlasNames.STATISTIC);
    tags[p++] = strings.intern(statistic);
    tags[p++] = strings.intern(AtlasNames.DS_TYPE);
    tags[p++] = strings.intern(rate ? AtlasNames.DS_TYPE_RATE : AtlasNames.DS_TYPE_GAUGE);
    for (int t = 1; t < id.size(); t++) {
      String key = id.getKey(t);
      if (!isReserved(key)) {
        tags[p++] = strings.intern(key);
        tags[p++] = strings.intern(id.getValue(t));
      }
    }
    return p == tags.length ? tags : Arrays.copyOf(tags, p);
  }

  /** {@code {"tags":{common tags},"metrics":[} */
  private static byte[] batchStart(Map<String, String> commonTags) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(256);
    b.writeBytes("{\"tags\":{".getBytes(StandardCharsets.US_ASCII));
    boolean first = true;
    for (Map.Entry<String, String> tag : commonTags.entrySet()) {
      if (!first) {
        b.write(',');
      }
      first = false;
      b.writeBytes(GzipWriter.quoted(tag.getKey()));
      b.write(':');
      b.writeBytes(GzipWriter.quoted(tag.getValue()));
    }
    b.writeBytes("},\"metrics\":[".getBytes(StandardCharsets.US_ASCII));
    return b.toByteArray();
  }

  /**
   * {@code {"tags":{"name":...,"statistic":...,"atlas.dstype":...,...},"timestamp":} for each
   * statistic of one id.
   */
  private static byte[] head(Id id, String statistic, boolean rate) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    b.writeBytes("{\"tags\":{".getBytes(StandardCharsets.US_ASCII));
    property(b, AtlasNames.NAME, id.name());
    b.write(',');
    property(b, AtlasNames.STATISTIC, statistic);
    b.write(',');
    property(b, AtlasNames.DS_TYPE, rate ? AtlasNames.DS_TYPE_RATE : AtlasNames.DS_TYPE_GAUGE);
    for (int t = 1; t < id.size(); t++) {
      String key = id.getKey(t);
      if (!isReserved(key)) {
        b.write(',');
        property(b, key, id.getValue(t));
      }
    }
    b.writeBytes("},\"timestamp\":".getBytes(StandardCharsets.US_ASCII));
    return b.toByteArray();
  }

  private static void property(ByteArrayOutputStream b, String key, String value) {
    b.writeBytes(GzipWriter.quoted(key));
    b.write(':');
    b.writeBytes(GzipWriter.quoted(value));
  }

  /** Keys this encoder writes itself; the id's own copy (its {@code statistic} tag, say) is not repeated. */
  private static boolean isReserved(String key) {
    return key.equals(AtlasNames.STATISTIC) || key.equals(AtlasNames.NAME) || key.equals(AtlasNames.DS_TYPE);
  }
}
