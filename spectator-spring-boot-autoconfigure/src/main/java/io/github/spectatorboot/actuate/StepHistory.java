package io.github.spectatorboot.actuate;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Statistic;
import io.github.spectatorboot.registry.MeterType;
import io.github.spectatorboot.registry.StepSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The last {@code steps} completed steps of at most {@code maxSeries} series, fed with the
 * registry's own snapshots (the ones the publisher sends): what the endpoint's page draws.
 *
 * <p>A series is a meter's id and one statistic, kept as the value Atlas would show: a rate per
 * second for counting statistics, the value for {@code max} and gauges. {@code totalOfSquares}
 * is not kept, since no graph shows it. Each step costs one map lookup per meter and one array
 * store per series, plus one pass over the series to drop those that had no value for
 * {@code steps} steps; nothing is allocated per step once the series exist. A new series beyond
 * {@code maxSeries} is not kept; {@link #untrackedSeries()} says how many the last step left out.
 */
public final class StepHistory implements Consumer<StepSnapshot> {

  private static final String TOTAL_OF_SQUARES = Statistic.totalOfSquares.name();

  private final int steps;
  private final int maxSeries;
  /** End of each step held, by slot; slot of step {@code seq} is {@code seq % steps}. */
  private final long[] timestamps;
  private final Map<Id, MeterHistory> meters = new HashMap<>();
  private long seq = -1;
  private long stepMillis;
  private int series;
  private int untracked;

  /**
   * @param steps how many completed steps to keep per series, at least 1
   * @param maxSeries most series to keep, at least 0
   */
  public StepHistory(int steps, int maxSeries) {
    if (steps < 1 || maxSeries < 0) {
      throw new IllegalArgumentException("steps must be >= 1 and maxSeries >= 0, got " + steps + " and " + maxSeries);
    }
    this.steps = steps;
    this.maxSeries = maxSeries;
    this.timestamps = new long[steps];
  }

  /** Adds a completed step; called by the registry's poll, one step at a time. */
  @Override public synchronized void accept(StepSnapshot snapshot) {
    seq++;
    timestamps[slot(seq)] = snapshot.timestamp();
    stepMillis = snapshot.stepMillis();
    untracked = 0;
    MeterHistory current = null;
    // a meter's measurements are adjacent: one look-up per meter, kept or left out
    Id left = null;
    for (int i = 0; i < snapshot.size(); i++) {
      String statistic = snapshot.statistic(i);
      if (TOTAL_OF_SQUARES.equals(statistic)) {
        continue;
      }
      Id id = snapshot.id(i);
      if (id == left) {
        untracked++;
        continue;
      }
      if (current == null || current.id != id) {
        current = meters.get(id);
        if (current == null) {
          if (series >= maxSeries) {
            untracked++;
            left = id;
            continue;
          }
          current = new MeterHistory(id, snapshot.type(i));
          meters.put(id, current);
        }
      }
      current.startStep(seq);
      int index = current.indexOf(statistic);
      if (index < 0) {
        if (series >= maxSeries) {
          untracked++;
          continue;
        }
        index = current.addSeries(statistic);
        series++;
      }
      current.values[index][slot(seq)] = snapshot.rate(i);
    }
    // a meter without a value for a whole window would only draw gaps
    for (Iterator<MeterHistory> it = meters.values().iterator(); it.hasNext(); ) {
      MeterHistory m = it.next();
      if (m.lastSeq <= seq - steps) {
        series -= m.statistics.length;
        it.remove();
      }
    }
  }

  /** Number of series held. */
  public synchronized int seriesCount() {
    return series;
  }

  /** Series the last step had beyond {@code maxSeries}, which are not kept. */
  public synchronized int untrackedSeries() {
    return untracked;
  }

  /** Most steps kept per series. */
  public int steps() {
    return steps;
  }

  /** Most series kept. */
  public int maxSeries() {
    return maxSeries;
  }

  /** A copy of the steps held for the meters whose id matches {@code filter}, oldest step first. */
  public synchronized Window window(Predicate<Id> filter) {
    int n = (int) Math.min(steps, seq + 1);
    long first = seq - n + 1;
    long[] ts = new long[n];
    for (int k = 0; k < n; k++) {
      ts[k] = timestamps[slot(first + k)];
    }
    List<Series> out = new ArrayList<>();
    for (MeterHistory m : meters.values()) {
      if (!filter.test(m.id)) {
        continue;
      }
      for (int s = 0; s < m.statistics.length; s++) {
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
          long step = first + k;
          v[k] = step <= m.lastSeq ? m.values[s][slot(step)] : Double.NaN;
        }
        out.add(new Series(m.id, m.type, m.statistics[s], v));
      }
    }
    return new Window(ts, stepMillis, out);
  }

  private int slot(long step) {
    return (int) (step % steps);
  }

  /**
   * Steps held for some series.
   *
   * @param timestamps end of each step, epoch milliseconds, oldest first
   * @param stepMillis length of a step
   * @param series the series, each with one value per timestamp ({@code NaN} where it had none)
   */
  public record Window(long[] timestamps, long stepMillis, List<Series> series) {}

  /**
   * One series over a {@link Window}.
   *
   * @param id the meter's id
   * @param type the meter's type
   * @param statistic the statistic
   * @param values per step: a rate per second for counting statistics, else the value; NaN for none
   */
  public record Series(Id id, MeterType type, String statistic, double[] values) {}

  /** The series of one meter; written by the polling thread only, under the history's lock. */
  private final class MeterHistory {

    private final Id id;
    private final MeterType type;
    private String[] statistics = new String[0];
    private double[][] values = new double[0][];
    /** Newest step this meter had a value in. */
    private long lastSeq = -1;

    MeterHistory(Id id, MeterType type) {
      this.id = id;
      this.type = type;
    }

    /** Blanks the slots of the steps this meter missed since its last value, and of {@code step}. */
    void startStep(long step) {
      if (step == lastSeq) {
        return;
      }
      long from = Math.max(lastSeq + 1, step - steps + 1);
      for (double[] ring : values) {
        for (long k = from; k <= step; k++) {
          ring[slot(k)] = Double.NaN;
        }
      }
      lastSeq = step;
    }

    int indexOf(String statistic) {
      for (int i = 0; i < statistics.length; i++) {
        if (statistics[i].equals(statistic)) {
          return i;
        }
      }
      return -1;
    }

    int addSeries(String statistic) {
      int i = statistics.length;
      statistics = Arrays.copyOf(statistics, i + 1);
      values = Arrays.copyOf(values, i + 1);
      double[] ring = new double[steps];
      Arrays.fill(ring, Double.NaN);
      values[i] = ring;
      statistics[i] = statistic;
      return i;
    }
  }
}
