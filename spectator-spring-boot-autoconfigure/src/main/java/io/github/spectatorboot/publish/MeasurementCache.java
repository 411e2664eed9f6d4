package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Id;
import io.github.spectatorboot.registry.StepSnapshot;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What an encoder derives once from a measurement's id and statistic (its encoded tags, its
 * string-table indexes), kept from one step to the next: a meter's id does not change between
 * steps, so nothing forces re-encoding it.
 *
 * <p>A poll lists the meters in the same order every step until meters come or go, so the lookup
 * first checks what was at the same position of the last step, by identity: a steady step costs
 * three comparisons per measurement, no hashing and no bookkeeping. Only a measurement found
 * elsewhere goes through a map by id, and only after such a step are the ids still in use counted. Positions are kept in pages of {@value #PAGE_SIZE}, so that no array
 * is one of G1's humongous objects however many meters there are. What a step did not use is
 * dropped at its end. One thread at a time.
 *
 * @param <T> what is derived for one measurement
 */
final class MeasurementCache<T> {

  /** Derives the value of one measurement, on the first step it appears. */
  @FunctionalInterface
  interface Deriver<T> {
    T derive(Id id, String statistic, boolean rate);
  }

  private static final int PAGE_BITS = 12;
  private static final int PAGE_SIZE = 1 << PAGE_BITS;
  private static final int PAGE_MASK = PAGE_SIZE - 1;

  private final Deriver<T> deriver;
  private final Map<Id, ById> byId = new HashMap<>();
  private Id[][] ids = new Id[0][];
  private String[][] statistics = new String[0][];
  private boolean[][] rates = new boolean[0][];
  private ById[][] owners = new ById[0][];
  private Object[][] values = new Object[0][];
  private int size;
  /** Whether this step found a measurement away from its last position, or has fewer of them. */
  private boolean moved;
  private int generation;

  MeasurementCache(Deriver<T> deriver) {
    this.deriver = deriver;
  }

  /** Starts a step of {@code size} measurements. */
  void startStep(int size) {
    int lastSize = this.size;
    this.size = size;
    moved = size < lastSize;
    int pages = (size + PAGE_SIZE - 1) >>> PAGE_BITS;
    if (pages > ids.length) {
      ids = Arrays.copyOf(ids, pages);
      statistics = Arrays.copyOf(statistics, pages);
      rates = Arrays.copyOf(rates, pages);
      owners = Arrays.copyOf(owners, pages);
      values = Arrays.copyOf(values, pages);
      for (int p = 0; p < pages; p++) {
        if (ids[p] == null) {
          ids[p] = new Id[PAGE_SIZE];
          statistics[p] = new String[PAGE_SIZE];
          rates[p] = new boolean[PAGE_SIZE];
          owners[p] = new ById[PAGE_SIZE];
          values[p] = new Object[PAGE_SIZE];
        }
      }
    }
    // positions past this step's end would hold on to meters that left
    for (int i = size; i < lastSize; i++) {
      ids[i >>> PAGE_BITS][i & PAGE_MASK] = null;
      owners[i >>> PAGE_BITS][i & PAGE_MASK] = null;
      values[i >>> PAGE_BITS][i & PAGE_MASK] = null;
    }
  }

  /** The value of measurement {@code i} of the step started last. */
  @SuppressWarnings("unchecked")
  T get(StepSnapshot snapshot, int i) {
    Id id = snapshot.id(i);
    String statistic = snapshot.statistic(i);
    boolean rate = snapshot.isRate(i);
    int p = i >>> PAGE_BITS;
    int o = i & PAGE_MASK;
    if (ids[p][o] == id && statistics[p][o] == statistic && rates[p][o] == rate) {
      return (T) values[p][o];
    }
    moved = true;
    ById owner = byId.computeIfAbsent(id, k -> new ById());
    Object value = owner.of(id, statistic, rate, deriver);
    ids[p][o] = id;
    statistics[p][o] = statistic;
    rates[p][o] = rate;
    owners[p][o] = owner;
    values[p][o] = value;
    return (T) value;
  }

  /**
   * Ends the step: ids it did not use take their values with them, once they are a third of
   * those kept.
   *
   * @return whether values were dropped
   */
  boolean endStep() {
    if (!moved) {
      // every measurement where it was: no id came or went
      return false;
    }
    generation++;
    int live = 0;
    for (int i = 0; i < size; i++) {
      ById owner = owners[i >>> PAGE_BITS][i & PAGE_MASK];
      if (owner.generation != generation) {
        owner.generation = generation;
        live++;
      }
    }
    if (byId.size() > live + live / 2 + 16) {
      byId.values().removeIf(h -> h.generation != generation);
      return true;
    }
    return false;
  }

  /** How many ids have values kept. */
  int ids() {
    return byId.size();
  }

  /** Calls {@code action} with every value kept. */
  @SuppressWarnings("unchecked")
  void forEachValue(Consumer<T> action) {
    for (ById owner : byId.values()) {
      for (int k = 0; k < owner.size; k++) {
        action.accept((T) owner.values[k]);
      }
    }
  }

  /** Forgets everything, for an encoder that must derive every value again. */
  void clear() {
    byId.clear();
    for (int i = 0; i < size; i++) {
      ids[i >>> PAGE_BITS][i & PAGE_MASK] = null;
      owners[i >>> PAGE_BITS][i & PAGE_MASK] = null;
      values[i >>> PAGE_BITS][i & PAGE_MASK] = null;
    }
  }

  /** The values of one id, one per statistic (four at most for the registry's meters). */
  private static final class ById {
    private String[] statistics = new String[1];
    private boolean[] rates = new boolean[1];
    private Object[] values = new Object[1];
    private int size;
    int generation;

    <T> Object of(Id id, String statistic, boolean rate, Deriver<T> deriver) {
      for (int k = 0; k < size; k++) {
        if ((statistics[k] == statistic || statistics[k].equals(statistic)) && rates[k] == rate) {
          return values[k];
        }
      }
      if (size == statistics.length) {
        statistics = Arrays.copyOf(statistics, size * 4);
        rates = Arrays.copyOf(rates, size * 4);
        values = Arrays.copyOf(values, size * 4);
      }
      statistics[size] = statistic;
      rates[size] = rate;
      values[size] = deriver.derive(id, statistic, rate);
      return values[size++];
    }
  }
}
