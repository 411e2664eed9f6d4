package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Id;
import io.github.spectatorboot.registry.AtlasNames;
import io.github.spectatorboot.registry.StepSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes a step for the Atlas publish API ({@code /api/v1/publish}) in the layout of Spectator
 * Java's {@code PublishPayload}: {@code {"tags":{common tags},"metrics":[{"tags":{...},
 * "timestamp":<end of step, ms>,"value":...}]}}.
 *
 * <p>Every measurement of the snapshot is sent, zeros included: idle counters and timers report 0
 * until their meter expires, as Spectator Java does. Counting statistics are rates per second
 * with {@code atlas.dstype=rate}, gauges and maxima values with {@code atlas.dstype=gauge}. The
 * common tags stay at the top level, as Spectator Java sends them.
 *
 * <p>A meter's id does not change between steps, so the text of each measurement up to its
 * timestamp ({@code {"tags":{...},"timestamp":}) is encoded once and kept until the meter leaves
 * the snapshots; a step only writes those bytes, its timestamp and the values. One instance per
 * publisher: {@link #encode} is serialised; its batches are written and deflated by a
 * {@link BatchCompressor}, on several threads if it has them.
 */
final class PublishApiEncoder implements PayloadEncoder {

  /**
   * zlib's level 3 costs about what level 1 does on this JSON (its three fastest levels share one
   * matcher) and sends about 13% fewer bytes; level 4 takes twice the time.
   */
  static final int DEFLATE_LEVEL = 3;

  /** Encoded heads of the measurements of the ids seen in the last step. */
  private final MeasurementCache<byte[]> heads = new MeasurementCache<>(PublishApiEncoder::head);
  private final BatchCompressor compressor;

  /** Every batch encoded on the calling thread. */
  PublishApiEncoder() {
    this(BatchCompressor.SERIAL);
  }

  PublishApiEncoder(BatchCompressor compressor) {
    this.compressor = compressor;
  }

  @Override public synchronized List<EncodedBatch> encode(StepSnapshot snapshot, int batchSize) {
    int n = snapshot.size();
    int count = (n + batchSize - 1) / batchSize;
    // the heads are looked up here, the bodies written and deflated by the compressor's threads
    byte[][][] headsOf = new byte[count][][];
    heads.startStep(n);
    for (int b = 0; b < count; b++) {
      int from = b * batchSize;
      byte[][] h = new byte[Math.min(n, from + batchSize) - from][];
      for (int j = 0; j < h.length; j++) {
        h[j] = heads.get(snapshot, from + j);
      }
      headsOf[b] = h;
    }
    // meters that left the snapshots take their encoded heads with them
    heads.endStep();
    byte[] start = batchStart(snapshot.commonTags());
    // every measurement of the step has its timestamp: formatted once, not 100,000 times
    byte[] timestampThenValue = (snapshot.timestamp() + ",\"value\":").getBytes(StandardCharsets.US_ASCII);
    byte[][] bodies = compressor.run(count, () -> new BatchCompressor.Worker() {
      // a compressed metric takes 12 bytes or so: room for that without growing the buffer
      private final GzipJsonWriter out = new GzipJsonWriter(Math.min(n, batchSize) * 16, DEFLATE_LEVEL);

      @Override public byte[] encode(int batch) {
        byte[][] h = headsOf[batch];
        int from = batch * batchSize;
        out.start();
        out.writeRaw(start);
        for (int j = 0; j < h.length; j++) {
          if (j > 0) {
            out.writeByte(',');
          }
          out.writeRaw(h[j]);
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
    });
    List<EncodedBatch> batches = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      batches.add(new EncodedBatch(bodies[b], headsOf[b].length));
    }
    return batches;
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
      b.writeBytes(GzipJsonWriter.quoted(tag.getKey()));
      b.write(':');
      b.writeBytes(GzipJsonWriter.quoted(tag.getValue()));
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
    b.writeBytes(GzipJsonWriter.quoted(key));
    b.write(':');
    b.writeBytes(GzipJsonWriter.quoted(value));
  }

  /** Keys this encoder writes itself; the id's own copy (its {@code statistic} tag, say) is not repeated. */
  private static boolean isReserved(String key) {
    return key.equals(AtlasNames.STATISTIC) || key.equals(AtlasNames.NAME) || key.equals(AtlasNames.DS_TYPE);
  }
}
