package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Id;
import io.github.spectatorboot.registry.AtlasNames;
import io.github.spectatorboot.registry.StepSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;

/**
 * Encodes a step for the Atlas aggregator ({@code /api/v4/update}) as spectator-py 0.1.x does: a
 * flat array {@code [N, s0, ..., sN-1, T, k, v, ..., op, value, ...]} whose tags are indexes
 * into the string table at its head, with the step's raw deltas; in Smile, as spectatord sends
 * it, or in JSON text, as spectator-py does.
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

  /**
   * Every string of the tags seen in the last steps, each with its encoded form (JSON text or a
   * Smile string); entries refer to them by their index here, and each batch maps those to its
   * own table.
   */
  private final StringTable strings = new StringTable(1024);
  private byte[][] encoded = new byte[1024][];
  private final boolean smile;
  private final MeasurementCache<Entry> entries = new MeasurementCache<>(this::entry);
  private final BatchCompressor compressor;
  private Map<String, String> commonTags = Map.of();
  /** The strings every batch starts its table with: name, statistic, the common tags. */
  private int[] prefix = new int[0];

  /** Every batch encoded on the calling thread, in Smile. */
  AggregatorEncoder() {
    this(true, BatchCompressor.SERIAL);
  }

  AggregatorEncoder(boolean smile, BatchCompressor compressor) {
    this.smile = smile;
    this.compressor = compressor;
  }

  @Override public MediaType contentType() {
    return PayloadEncoder.contentType(smile);
  }

  @Override public synchronized List<EncodedBatch> encode(StepSnapshot snapshot, int batchSize) {
    int n = snapshot.size();
    List<EncodedBatch> batches = new ArrayList<>();
    if (n == 0) {
      return batches;
    }
    if (!snapshot.commonTags().equals(commonTags)) {
      resolveCommonTags(snapshot.commonTags());
    }
    // the entries are looked up and selected here, the bodies written and deflated by the compressor's threads
    List<Entry[]> selectedOf = new ArrayList<>();
    List<double[]> valuesOf = new ArrayList<>();
    entries.startStep(n);
    int i = 0;
    while (i < n) {
      Entry[] selected = new Entry[Math.min(batchSize, n - i)];
      double[] values = new double[selected.length];
      int count = 0;
      for (; i < n && count < batchSize; i++) {
        double v = snapshot.delta(i);
        Entry e = entries.get(snapshot, i);
        // spectator-py drops adds of zero or less; our adds are never negative, so this skips
        // zeros (and the snapshot holds no NaN: this is a guard); a positive value is sent
        // whatever its op
        if (v > 0.0 || (e.op != OP_ADD && !Double.isNaN(v))) {
          selected[count] = e;
          values[count++] = v;
        }
      }
      if (count > 0) {
        selectedOf.add(count == selected.length ? selected : Arrays.copyOf(selected, count));
        valuesOf.add(values);
      }
    }
    // this step's entries index these; a reset below only changes what the next step interns
    byte[][] encodedNow = encoded;
    int stringCount = strings.size();
    int[] prefixNow = prefix;
    if (entries.endStep() && strings.size() > 2 * liveStrings() + 1024) {
      // mostly tag values of meters gone: start the strings again, and with them the entries
      strings.clear();
      entries.clear();
      commonTags = Map.of();
    }
    byte[][] bodies = compressor.run(selectedOf.size(),
        () -> new Worker(smile, encodedNow, stringCount, prefixNow, Math.min(batchSize, n), selectedOf, valuesOf));
    for (int b = 0; b < bodies.length; b++) {
      batches.add(new EncodedBatch(bodies[b], selectedOf.get(b).length));
    }
    return batches;
  }

  /**
   * zlib's level 2 costs about what level 1 does on these arrays and sends about 10% fewer bytes;
   * level 3 takes half as long again.
   */
  static final int DEFLATE_LEVEL = 2;
  /**
   * On Smile, level 1 takes an eighth less time than level 2 (and than JSON at level 2) for 5%
   * more bytes; about as many as JSON at level 2, since Smile writes a fraction in 10 bytes where
   * JSON writes its shortest decimal ({@code PublishStepSplit} measures both).
   */
  static final int SMILE_DEFLATE_LEVEL = 1;

  /** The op for a statistic. */
  static int op(String statistic) {
    return switch (statistic) {
      case "count", "totalAmount", "totalTime", "totalOfSquares", "percentile" -> OP_ADD;
      default -> OP_MAX;
    };
  }

  /** How many strings are kept for the next steps. */
  synchronized int internedStrings() {
    return strings.size();
  }

  /** How many strings the entries still cached use. */
  private int liveStrings() {
    return strings.distinct(users -> {
      for (int s : prefix) {
        users.accept(s);
      }
      entries.forEachValue(e -> {
        for (int s : e.tags) {
          users.accept(s);
        }
      });
    });
  }

  /** Writes batches on one thread: its own deflater and its own map from strings to a batch's indexes. */
  private static final class Worker implements BatchCompressor.Worker {
    private final boolean smile;
    private final byte[][] encoded;
    private final int[] prefix;
    private final List<Entry[]> selectedOf;
    private final List<double[]> valuesOf;
    private final GzipWriter out;
    /** Per string: the batch that last used it, and its index in that batch. */
    private final int[] batchOf;
    private final int[] indexInBatch;
    /** The strings of the batch in index order. */
    private int[] table = new int[64];
    private int size;

    Worker(boolean smile, byte[][] encoded, int strings, int[] prefix, int batchSize, List<Entry[]> selectedOf,
        List<double[]> valuesOf) {
      this.smile = smile;
      this.encoded = encoded;
      this.prefix = prefix;
      this.selectedOf = selectedOf;
      this.valuesOf = valuesOf;
      this.batchOf = new int[strings];
      this.indexInBatch = new int[strings];
      // a compressed entry takes 10 bytes or so
      this.out = new GzipWriter(batchSize * 12, smile ? SMILE_DEFLATE_LEVEL : DEFLATE_LEVEL);
    }

    @Override public byte[] encode(int batch) {
      Entry[] selected = selectedOf.get(batch);
      double[] values = valuesOf.get(batch);
      // batch numbers start at 1: 0 in batchOf is no batch
      int stamp = batch + 1;
      size = 0;
      for (int s : prefix) {
        use(s, stamp);
      }
      for (Entry e : selected) {
        for (int s : e.tags) {
          if (batchOf[s] != stamp) {
            use(s, stamp);
          }
        }
      }
      out.start();
      if (smile) {
        writeSmile(selected, values);
        return out.finish();
      }
      out.writeByte('[');
      out.writeLong(size);
      for (int t = 0; t < size; t++) {
        out.writeByte(',');
        out.writeRaw(encoded[table[t]]);
      }
      for (int j = 0; j < selected.length; j++) {
        int[] tags = selected[j].tags;
        out.writeCommaInt(tags.length / 2);
        for (int s : tags) {
          out.writeCommaInt(indexInBatch[s]);
        }
        out.writeCommaInt(selected[j].op);
        out.writeByte(',');
        out.writeDouble(values[j]);
      }
      out.writeByte(']');
      return out.finish();
    }

    /**
     * The same array in Smile. The strings are written in full: each appears once, at the head,
     * so the body declares no shared strings.
     */
    private void writeSmile(Entry[] selected, double[] values) {
      out.writeRaw(SmileStrings.HEADER_PLAIN);
      out.writeByte(SmileStrings.START_ARRAY);
      out.writeSmileLong(size);
      for (int t = 0; t < size; t++) {
        out.writeRaw(encoded[table[t]]);
      }
      for (int j = 0; j < selected.length; j++) {
        int[] tags = selected[j].tags;
        out.writeSmileLong(tags.length / 2);
        for (int s : tags) {
          out.writeSmileLong(indexInBatch[s]);
        }
        out.writeSmileLong(selected[j].op);
        out.writeSmileDouble(values[j]);
      }
      out.writeByte(SmileStrings.END_ARRAY);
    }

    /** Gives string {@code s} the next index of the batch. */
    private void use(int s, int stamp) {
      batchOf[s] = stamp;
      indexInBatch[s] = size;
      if (size == table.length) {
        table = Arrays.copyOf(table, size * 2);
      }
      table[size++] = s;
    }

    @Override public void close() {
      out.close();
    }
  }

  /**
   * The tags of one measurement as indexes into {@link #strings}, in the order they are sent:
   * the common tags the meter does not override, the meter's tags, its statistic, its name.
   */
  private Entry entry(Id id, String statistic, boolean rate) {
    int[] tags = new int[2 * (id.size() + 1 + commonKeys.length)];
    int p = 0;
    for (int c = 0; c < commonKeys.length; c++) {
      if (!isReserved(commonKeys[c]) && !hasKey(id, commonKeys[c])) {
        tags[p++] = intern(commonKeys[c]);
        tags[p++] = intern(commonValues[c]);
      }
    }
    for (int t = 1; t < id.size(); t++) {
      String key = id.getKey(t);
      if (!isReserved(key)) {
        tags[p++] = intern(key);
        tags[p++] = intern(id.getValue(t));
      }
    }
    tags[p++] = intern(AtlasNames.STATISTIC);
    tags[p++] = intern(statistic);
    tags[p++] = intern(AtlasNames.NAME);
    tags[p++] = intern(id.name());
    return new Entry(Arrays.copyOf(tags, p), op(statistic));
  }

  private String[] commonKeys = new String[0];
  private String[] commonValues = new String[0];

  private void resolveCommonTags(Map<String, String> common) {
    // entries hold indexes of the common tags they carry
    entries.clear();
    commonTags = common;
    commonKeys = common.keySet().toArray(new String[0]);
    commonValues = common.values().toArray(new String[0]);
    prefix = new int[2 + 2 * commonKeys.length];
    prefix[0] = intern(AtlasNames.NAME);
    prefix[1] = intern(AtlasNames.STATISTIC);
    for (int c = 0; c < commonKeys.length; c++) {
      prefix[2 + 2 * c] = intern(commonKeys[c]);
      prefix[3 + 2 * c] = intern(commonValues[c]);
    }
  }

  private int intern(String s) {
    int before = strings.size();
    int index = strings.add(s);
    if (index != before) {
      return index;
    }
    if (index == encoded.length) {
      encoded = Arrays.copyOf(encoded, encoded.length * 2);
    }
    encoded[index] = smile ? SmileStrings.value(s) : GzipWriter.quoted(s);
    return index;
  }

  /** One measurement's tags as indexes into the strings, and its op. */
  private record Entry(int[] tags, int op) {}

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
