package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Id;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Immutable values of one completed step: every measurement the registry's meters reported when
 * the step was rolled over, and the step's end as an epoch timestamp.
 *
 * <p>Each value is offered both as the step's delta (what the Atlas aggregator wants) and as a
 * rate per second (what the Atlas publish API wants), so encoders only format. Values are kept in
 * parallel arrays rather than as objects so that a snapshot of hundreds of thousands of
 * measurements costs a few arrays; {@link #measurements()} gives a list view for readers that
 * prefer records. The arrays are pages of {@value #PAGE_SIZE} entries (at most 32 KB each), so
 * that a large snapshot never needs one of G1's humongous regions, and growing it copies nothing.
 */
public final class StepSnapshot {

  private static final int RATE_FLAG = 0x10;
  private static final int TYPE_MASK = 0x0F;
  private static final MeterType[] TYPES = MeterType.values();
  private static final int PAGE_BITS = 12;
  private static final int PAGE_SIZE = 1 << PAGE_BITS;
  private static final int PAGE_MASK = PAGE_SIZE - 1;

  private final long timestamp;
  private final long stepMillis;
  private final Map<String, String> commonTags;
  private final int size;
  private final Id[][] ids;
  private final String[][] statistics;
  private final double[][] values;
  private final byte[][] kinds;

  private StepSnapshot(Builder b) {
    this.timestamp = b.timestamp;
    this.stepMillis = b.stepMillis;
    this.commonTags = b.commonTags;
    this.size = b.size;
    this.ids = b.ids;
    this.statistics = b.statistics;
    this.values = b.values;
    this.kinds = b.kinds;
  }

  /** A snapshot with no measurements, for the given step end. */
  public static StepSnapshot empty(long timestamp, long stepMillis, Map<String, String> commonTags) {
    return new Builder(timestamp, stepMillis, commonTags, 0).build();
  }

  /** End of the step in epoch milliseconds, aligned to the step: the Atlas timestamp. */
  public long timestamp() {
    return timestamp;
  }

  /** Length of the step in milliseconds. */
  public long stepMillis() {
    return stepMillis;
  }

  /** Tags to add to every measurement, already normalised; a meter's own tag of the same key wins. */
  public Map<String, String> commonTags() {
    return commonTags;
  }

  /** Number of measurements. */
  public int size() {
    return size;
  }

  /** Whether the step has no measurements. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** Id of measurement {@code i}; its own {@code statistic} tag, if any, is replaced by {@link #statistic(int)}. */
  public Id id(int i) {
    checkIndex(i);
    return ids[i >>> PAGE_BITS][i & PAGE_MASK];
  }

  /** Statistic of measurement {@code i}, for example {@code count}, {@code totalTime} or {@code max}. */
  public String statistic(int i) {
    checkIndex(i);
    return statistics[i >>> PAGE_BITS][i & PAGE_MASK];
  }

  /** Kind of meter measurement {@code i} came from. */
  public MeterType type(int i) {
    checkIndex(i);
    return TYPES[kinds[i >>> PAGE_BITS][i & PAGE_MASK] & TYPE_MASK];
  }

  /** Whether measurement {@code i} is a rate ({@code atlas.dstype=rate}) rather than a gauge. */
  public boolean isRate(int i) {
    checkIndex(i);
    return (kinds[i >>> PAGE_BITS][i & PAGE_MASK] & RATE_FLAG) != 0;
  }

  /** Value of measurement {@code i} for the step: the amount accumulated, or the gauge value. */
  public double delta(int i) {
    checkIndex(i);
    return values[i >>> PAGE_BITS][i & PAGE_MASK];
  }

  /** Value of measurement {@code i} as a rate per second for counting statistics, as is for gauges. */
  public double rate(int i) {
    // divided by the step in seconds, as Spectator's StepDouble.pollAsRate: multiplying by 1000
    // first would turn a delta above Double.MAX_VALUE / 1000 into an infinite rate
    double v = delta(i);
    return isRate(i) ? v / (stepMillis / 1000.0) : v;
  }

  /** Measurement {@code i} as a record. */
  public StepMeasurement get(int i) {
    return new StepMeasurement(id(i), statistic(i), type(i), delta(i), rate(i), isRate(i));
  }

  /** A read-only list view of the measurements. */
  public List<StepMeasurement> measurements() {
    return new AbstractList<>() {
      @Override public StepMeasurement get(int index) {
        return StepSnapshot.this.get(index);
      }

      @Override public int size() {
        return size;
      }
    };
  }

  @Override public String toString() {
    return "StepSnapshot[timestamp=" + timestamp + ", stepMillis=" + stepMillis + ", size=" + size + "]";
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("index " + i + " of " + size);
    }
  }

  /** Collects measurements during a poll; not thread-safe, used by one polling thread. */
  static final class Builder {

    private final long timestamp;
    private final long stepMillis;
    private final Map<String, String> commonTags;
    private int size;
    private Id[][] ids;
    private String[][] statistics;
    private double[][] values;
    private byte[][] kinds;

    Builder(long timestamp, long stepMillis, Map<String, String> commonTags, int expected) {
      this.timestamp = timestamp;
      this.stepMillis = stepMillis;
      this.commonTags = commonTags;
      // the first page holds small snapshots (and measure()'s few values) in little more than they need
      int first = Math.max(4, Math.min(PAGE_SIZE, expected));
      int pages = Math.max(1, (expected + PAGE_SIZE - 1) >>> PAGE_BITS);
      this.ids = new Id[pages][];
      this.statistics = new String[pages][];
      this.values = new double[pages][];
      this.kinds = new byte[pages][];
      addPage(0, first);
    }

    /** Adds one value; NaN and infinite values are never reported, so they are dropped here. */
    void add(Id id, String statistic, MeterType type, boolean rate, double value) {
      if (!Double.isFinite(value)) {
        return;
      }
      int page = size >>> PAGE_BITS;
      int slot = size & PAGE_MASK;
      if (page == ids.length) {
        int pages = ids.length * 2;
        ids = Arrays.copyOf(ids, pages);
        statistics = Arrays.copyOf(statistics, pages);
        values = Arrays.copyOf(values, pages);
        kinds = Arrays.copyOf(kinds, pages);
      }
      if (ids[page] == null) {
        addPage(page, PAGE_SIZE);
      } else if (slot == ids[page].length) {
        // only the first page starts short
        ids[page] = Arrays.copyOf(ids[page], PAGE_SIZE);
        statistics[page] = Arrays.copyOf(statistics[page], PAGE_SIZE);
        values[page] = Arrays.copyOf(values[page], PAGE_SIZE);
        kinds[page] = Arrays.copyOf(kinds[page], PAGE_SIZE);
      }
      ids[page][slot] = id;
      statistics[page][slot] = statistic;
      values[page][slot] = value;
      kinds[page][slot] = (byte) (type.ordinal() | (rate ? RATE_FLAG : 0));
      size++;
    }

    int size() {
      return size;
    }

    /** Forgets the values added, keeping the pages; for a builder reused by one thread. */
    void clear() {
      for (int i = 0; i < size; i++) {
        ids[i >>> PAGE_BITS][i & PAGE_MASK] = null;
      }
      size = 0;
    }

    String statisticAt(int i) {
      return statistics[i >>> PAGE_BITS][i & PAGE_MASK];
    }

    boolean isRateAt(int i) {
      return (kinds[i >>> PAGE_BITS][i & PAGE_MASK] & RATE_FLAG) != 0;
    }

    double valueAt(int i) {
      return values[i >>> PAGE_BITS][i & PAGE_MASK];
    }

    private void addPage(int page, int capacity) {
      ids[page] = new Id[capacity];
      statistics[page] = new String[capacity];
      values[page] = new double[capacity];
      kinds[page] = new byte[capacity];
    }

    StepSnapshot build() {
      return new StepSnapshot(this);
    }
  }
}
