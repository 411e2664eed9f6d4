package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Id;
import io.github.spectatorboot.registry.AtlasNames;
import io.github.spectatorboot.registry.StepSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes a step for the Atlas aggregator ({@code /api/v4/update}) as spectator-py 0.1.x does: a
 * flat JSON array {@code [N, s0, ..., sN-1, T, k, v, ..., op, value, ...]} whose tags are indexes
 * into the string table at its head, with the step's raw deltas.
 *
 * <p>What is sent, and why:
 * <ul>
 *   <li>The op depends only on the statistic: add ({@value #OP_ADD}) for {@code count},
 *       {@code totalAmount}, {@code totalTime}, {@code totalOfSquares} and {@code percentile},
 *       max ({@value #OP_MAX}) for everything else, unknown statistics included.</li>
 *   <li>Adds of zero are skipped, as spectator-py does: the aggregator sums them, so a zero carries
 *       nothing. An idle counter therefore sends nothing, while the publish API format reports its
 *       0 until the meter expires, as Spectator Java does.</li>
 *   <li>Max values are sent even when they are 0, as spectator-py does: an idle timer or
 *       distribution summary sends {@code max=0} each step until its meter expires
 *       (spectator-py: while the application holds it).</li>
 *   <li>NaN is never sent (the snapshot holds finite values only).</li>
 *   <li>Each entry carries the common tags, then the meter's tags with its statistic, then
 *       {@code name}; a meter tag with the key of a common tag wins, and the common tag is not
 *       written (spectator-py writes both and leaves the outcome to the server).</li>
 *   <li>Each batch has its own string table, in order of first use; spectator-py sorts it, which
 *       the aggregator does not need.</li>
 * </ul>
 */
final class AggregatorEncoder implements PayloadEncoder {

  /** Op of values the aggregator adds into a counter. */
  static final int OP_ADD = 0;
  /** Op of values the aggregator keeps the maximum of. */
  static final int OP_MAX = 10;

  @Override public List<EncodedBatch> encode(StepSnapshot snapshot, int batchSize) {
    int n = snapshot.size();
    List<EncodedBatch> batches = new ArrayList<>();
    if (n == 0) {
      return batches;
    }
    Map<String, String> common = snapshot.commonTags();
    String[] commonKeys = common.keySet().toArray(new String[0]);
    String[] commonValues = common.values().toArray(new String[0]);
    int[] selected = new int[Math.min(batchSize, n)];
    StringTable table = new StringTable(Math.min(batchSize, n) * 2);
    // a compressed entry takes 10 bytes or so
    try (GzipJsonWriter out = new GzipJsonWriter(Math.min(batchSize, n) * 12, DEFLATE_LEVEL)) {
      int i = 0;
      while (i < n) {
        int count = 0;
        for (; i < n && count < batchSize; i++) {
          if (isSent(snapshot, i)) {
            selected[count++] = i;
          }
        }
        if (count > 0) {
          table.clear();
          byte[] body = encodeBatch(snapshot, selected, count, commonKeys, commonValues, table, out);
          batches.add(new EncodedBatch(body, count));
        }
      }
    }
    return batches;
  }

  /**
   * zlib's level 2 costs about what level 1 does on these arrays and sends about 10% fewer bytes;
   * level 3 takes half as long again.
   */
  static final int DEFLATE_LEVEL = 2;

  /** The op for a statistic. */
  static int op(String statistic) {
    return switch (statistic) {
      case "count", "totalAmount", "totalTime", "totalOfSquares", "percentile" -> OP_ADD;
      default -> OP_MAX;
    };
  }

  private static boolean isSent(StepSnapshot snapshot, int i) {
    double v = snapshot.delta(i);
    if (Double.isNaN(v)) {
      return false;
    }
    // spectator-py drops adds of zero or less; our adds are never negative, so this skips zeros
    return op(snapshot.statistic(i)) != OP_ADD || v > 0.0;
  }

  private static byte[] encodeBatch(StepSnapshot snapshot, int[] selected, int count,
      String[] commonKeys, String[] commonValues, StringTable table, GzipJsonWriter out) {
    table.add(AtlasNames.NAME);
    table.add(AtlasNames.STATISTIC);
    for (int c = 0; c < commonKeys.length; c++) {
      table.add(commonKeys[c]);
      table.add(commonValues[c]);
    }
    for (int j = 0; j < count; j++) {
      int i = selected[j];
      Id id = snapshot.id(i);
      table.add(id.name());
      table.add(snapshot.statistic(i));
      for (int t = 1; t < id.size(); t++) {
        if (!isReserved(id.getKey(t))) {
          table.add(id.getKey(t));
          table.add(id.getValue(t));
        }
      }
    }

    int nameIndex = table.indexOf(AtlasNames.NAME);
    int statisticIndex = table.indexOf(AtlasNames.STATISTIC);
    int[] commonKeyIndexes = new int[commonKeys.length];
    int[] commonValueIndexes = new int[commonKeys.length];
    for (int c = 0; c < commonKeys.length; c++) {
      commonKeyIndexes[c] = table.indexOf(commonKeys[c]);
      commonValueIndexes[c] = table.indexOf(commonValues[c]);
    }

    int[] pairs = new int[32];
    out.start();
    out.writeByte('[');
    out.writeLong(table.size());
    for (int s = 0; s < table.size(); s++) {
      out.writeByte(',');
      out.writeString(table.get(s));
    }
    for (int j = 0; j < count; j++) {
      int i = selected[j];
      Id id = snapshot.id(i);
      int size = id.size();
      if (pairs.length < 2 * (size + 1 + commonKeys.length)) {
        pairs = Arrays.copyOf(pairs, 2 * (size + 1 + commonKeys.length));
      }
      int p = 0;
      for (int c = 0; c < commonKeys.length; c++) {
        if (!isReserved(commonKeys[c]) && !hasKey(id, commonKeys[c])) {
          pairs[p++] = commonKeyIndexes[c];
          pairs[p++] = commonValueIndexes[c];
        }
      }
      for (int t = 1; t < size; t++) {
        String key = id.getKey(t);
        if (!isReserved(key)) {
          pairs[p++] = table.indexOf(key);
          pairs[p++] = table.indexOf(id.getValue(t));
        }
      }
      String statistic = snapshot.statistic(i);
      pairs[p++] = statisticIndex;
      pairs[p++] = table.indexOf(statistic);
      pairs[p++] = nameIndex;
      pairs[p++] = table.indexOf(id.name());

      out.writeByte(',');
      out.writeLong(p / 2);
      for (int k = 0; k < p; k++) {
        out.writeByte(',');
        out.writeLong(pairs[k]);
      }
      out.writeByte(',');
      out.writeLong(op(statistic));
      out.writeByte(',');
      out.writeDouble(snapshot.delta(i));
    }
    out.writeByte(']');
    return out.finish();
  }

  /** Keys this encoder writes itself: the id's own {@code statistic} tag is replaced by the snapshot's. */
  private static boolean isReserved(String key) {
    return key.equals(AtlasNames.STATISTIC) || key.equals(AtlasNames.NAME);
  }

  private static boolean hasKey(Id id, String key) {
    for (int t = 1; t < id.size(); t++) {
      if (id.getKey(t).equals(key)) {
        return true;
      }
    }
    return false;
  }
}
