package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Id;
import io.github.spectatorboot.registry.AtlasNames;
import io.github.spectatorboot.registry.StepSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
 * publisher: {@link #encode} is serialised.
 */
final class PublishApiEncoder implements PayloadEncoder {

  /**
   * zlib's level 3 costs about what level 1 does on this JSON (its three fastest levels share one
   * matcher) and sends about 13% fewer bytes; level 4 takes twice the time.
   */
  static final int DEFLATE_LEVEL = 3;

  /** Encoded heads of the measurements of each id seen in the last steps. */
  private final Map<Id, Heads> heads = new HashMap<>();
  private int generation;

  @Override public synchronized List<EncodedBatch> encode(StepSnapshot snapshot, int batchSize) {
    int n = snapshot.size();
    List<EncodedBatch> batches = new ArrayList<>((n + batchSize - 1) / batchSize);
    generation++;
    int live = 0;
    // a compressed metric takes 12 bytes or so: room for that without growing the buffer
    try (GzipJsonWriter out = new GzipJsonWriter(Math.min(n, batchSize) * 16, DEFLATE_LEVEL)) {
      byte[] start = batchStart(snapshot.commonTags());
      // every measurement of the step has its timestamp: formatted once, not 100,000 times
      byte[] timestampThenValue = (snapshot.timestamp() + ",\"value\":").getBytes(StandardCharsets.US_ASCII);
      Id lastId = null;
      Heads lastHeads = null;
      for (int from = 0; from < n; from += batchSize) {
        int to = Math.min(n, from + batchSize);
        out.start();
        out.writeRaw(start);
        for (int i = from; i < to; i++) {
          Id id = snapshot.id(i);
          if (id != lastId) {
            lastId = id;
            lastHeads = heads.computeIfAbsent(id, k -> new Heads());
            if (lastHeads.generation != generation) {
              lastHeads.generation = generation;
              live++;
            }
          }
          if (i > from) {
            out.writeByte(',');
          }
          out.writeRaw(lastHeads.of(id, snapshot.statistic(i), snapshot.isRate(i)));
          out.writeRaw(timestampThenValue);
          out.writeDouble(snapshot.rate(i));
          out.writeByte('}');
        }
        out.writeByte(']');
        out.writeByte('}');
        batches.add(new EncodedBatch(out.finish(), to - from));
      }
    }
    if (heads.size() > live + live / 2 + 16) {
      // meters that left the snapshots take their encoded heads with them
      heads.values().removeIf(h -> h.generation != generation);
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

  /** The encoded heads of one id, one per statistic (four at most for the registry's meters). */
  private static final class Heads {
    private String[] statistics = new String[1];
    private boolean[] rates = new boolean[1];
    private byte[][] bytes = new byte[1][];
    private int size;
    int generation;

    byte[] of(Id id, String statistic, boolean rate) {
      for (int k = 0; k < size; k++) {
        if ((statistics[k] == statistic || statistics[k].equals(statistic)) && rates[k] == rate) {
          return bytes[k];
        }
      }
      if (size == statistics.length) {
        statistics = java.util.Arrays.copyOf(statistics, size * 4);
        rates = java.util.Arrays.copyOf(rates, size * 4);
        bytes = java.util.Arrays.copyOf(bytes, size * 4);
      }
      statistics[size] = statistic;
      rates[size] = rate;
      bytes[size] = head(id, statistic, rate);
      return bytes[size++];
    }
  }
}
