package io.github.spectatorboot.publish;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The string table of one aggregator request: each distinct string gets the index of its first
 * {@link #add}. An open-addressing table rather than a {@code HashMap<String, Integer>}, so that
 * building it for ten thousand measurements allocates no entries and no boxed indexes.
 */
final class StringTable {

  private String[] keys;
  private int[] slots;
  private String[] strings;
  private int size;

  StringTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
    keys = new String[capacity];
    slots = new int[capacity];
    strings = new String[Math.max(16, expected)];
  }

  /** Forgets every string, keeping the arrays. */
  void clear() {
    Arrays.fill(keys, null);
    Arrays.fill(strings, 0, size, null);
    size = 0;
  }

  /** The index of {@code s}, added if it is new. */
  int add(String s) {
    int mask = keys.length - 1;
    int i = mix(s.hashCode()) & mask;
    while (true) {
      String k = keys[i];
      if (k == null) {
        if (size == strings.length) {
          strings = Arrays.copyOf(strings, size * 2);
        }
        keys[i] = s;
        slots[i] = size;
        strings[size] = s;
        int index = size++;
        if (size * 2 > keys.length) {
          rehash();
        }
        return index;
      }
      if (k == s || k.equals(s)) {
        return slots[i];
      }
      i = (i + 1) & mask;
    }
  }

  /** The index of a string already added. */
  int indexOf(String s) {
    int mask = keys.length - 1;
    int i = mix(s.hashCode()) & mask;
    while (true) {
      String k = keys[i];
      if (k == null) {
        throw new IllegalStateException("not in the table: " + s);
      }
      if (k == s || k.equals(s)) {
        return slots[i];
      }
      i = (i + 1) & mask;
    }
  }

  int size() {
    return size;
  }

  /** The string at {@code index}, in the order of first addition. */
  String get(int index) {
    return strings[index];
  }

  /**
   * How many distinct indexes of this table {@code users} passes to the consumer it is given:
   * the strings still in use, to decide whether the table is worth starting again.
   */
  int distinct(Consumer<IntConsumer> users) {
    boolean[] used = new boolean[size];
    int[] live = {0};
    users.accept(s -> {
      if (!used[s]) {
        used[s] = true;
        live[0]++;
      }
    });
    return live[0];
  }

  private void rehash() {
    String[] oldKeys = keys;
    int[] oldSlots = slots;
    keys = new String[oldKeys.length * 2];
    slots = new int[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      String k = oldKeys[j];
      if (k != null) {
        int i = mix(k.hashCode()) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        slots[i] = oldSlots[j];
      }
    }
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }
}
