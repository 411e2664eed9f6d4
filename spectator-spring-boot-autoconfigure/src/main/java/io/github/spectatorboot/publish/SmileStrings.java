package io.github.spectatorboot.publish;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Strings as Smile writes them (Jackson's binary JSON, {@code jackson-dataformat-smile}), and
 * the two tables of back-references with which Smile avoids writing a string twice in one body.
 *
 * <p>An encoder interns each string of its meters' ids once and keeps its encoded forms, as a
 * key and as a value, from one step to the next. Each body then writes a string in full the first
 * time it uses it and as a one- or two-byte reference after that ({@link BackReferences}),
 * exactly as Jackson's {@code SmileGenerator} does with {@code CHECK_SHARED_NAMES} and {@code
 * CHECK_SHARED_STRING_VALUES} on, so that Jackson's {@code SmileParser} (Atlas's) rebuilds the same
 * tables as it reads:
 * <ul>
 *   <li>every key written in full is added to the key table, every value of 1 to 64 bytes to the
 *       value table (longer values and the empty string are not);</li>
 *   <li>each table holds 1,024 strings and starts again from empty when it is full;</li>
 *   <li>indexes whose low byte is {@code 0xFE} or {@code 0xFF} are never referred to, since those
 *       bytes may not appear in a Smile body.</li>
 * </ul>
 * The interning itself is serial; a {@link BackReferences} per thread reads the encoded forms
 * while no string is being added.
 *
 * <p>The registry has already replaced every character outside {@link
 * io.github.spectatorboot.registry.AtlasNames#VALID_TAG_CHARACTERS}, so the strings met in practice
 * are ASCII; other UTF-8 is written correctly all the same, and a lone surrogate as {@code ?}, as
 * {@link String#getBytes} writes it.
 */
final class SmileStrings {

  /** The four bytes a body starts with: {@code :)\n} and the version byte with its flags. */
  static final byte[] HEADER_SHARED = {':', ')', '\n', 0x03};
  /** The same without shared keys or values: for bodies that never repeat a string. */
  static final byte[] HEADER_PLAIN = {':', ')', '\n', 0x00};
  static final char START_OBJECT = 0xfa;
  static final char END_OBJECT = 0xfb;
  static final char START_ARRAY = 0xf8;
  static final char END_ARRAY = 0xf9;

  private static final int TABLE_SIZE = 1024;
  private static final int MAX_SHORT_BYTES = 64;
  private static final int MAX_SHORT_UNICODE_KEY_BYTES = 56;
  private static final byte END_OF_STRING = (byte) 0xfc;

  private final StringTable table = new StringTable(1024);
  private byte[][] keys = new byte[1024][];
  private byte[][] values = new byte[1024][];

  /** The id of {@code s}, its encoded forms made when it is new. */
  int intern(String s) {
    int before = table.size();
    int id = table.add(s);
    if (id == before) {
      if (id == keys.length) {
        keys = Arrays.copyOf(keys, id * 2);
        values = Arrays.copyOf(values, id * 2);
      }
      keys[id] = key(s);
      values[id] = value(s);
    }
    return id;
  }

  /** How many strings are interned. */
  int size() {
    return table.size();
  }

  /** How many distinct ids {@code users} passes to the consumer it is given ({@link StringTable#distinct}). */
  int distinct(Consumer<IntConsumer> users) {
    return table.distinct(users);
  }

  /** Forgets every string, so that ids start again from 0. */
  void clear() {
    table.clear();
    // new arrays: tables made before keep reading the old ones
    keys = new byte[1024][];
    values = new byte[1024][];
  }

  /** {@code s} as a Smile string value in full: its token and UTF-8 bytes (and end marker when long). */
  static byte[] value(String s) {
    if (s.isEmpty()) {
      return new byte[] {0x20};
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    boolean ascii = utf8.length == s.length();
    if (utf8.length <= MAX_SHORT_BYTES) {
      // tiny and short strings share one formula: ASCII 0x40 + length - 1, other UTF-8 0x80 + length - 2
      return tokenThen(ascii ? 0x3f + utf8.length : 0x7e + utf8.length, utf8, false);
    }
    return tokenThen(ascii ? 0xe0 : 0xe4, utf8, true);
  }

  /** {@code s} as a Smile key in full. */
  static byte[] key(String s) {
    if (s.isEmpty()) {
      return new byte[] {0x20};
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    boolean ascii = utf8.length == s.length();
    if (ascii && utf8.length <= MAX_SHORT_BYTES) {
      return tokenThen(0x7f + utf8.length, utf8, false);
    }
    if (!ascii && utf8.length <= MAX_SHORT_UNICODE_KEY_BYTES) {
      return tokenThen(0xbe + utf8.length, utf8, false);
    }
    return tokenThen(0x34, utf8, true);
  }

  private static byte[] tokenThen(int token, byte[] utf8, boolean endMarker) {
    byte[] b = new byte[1 + utf8.length + (endMarker ? 1 : 0)];
    b[0] = (byte) token;
    System.arraycopy(utf8, 0, b, 1, utf8.length);
    if (endMarker) {
      b[b.length - 1] = END_OF_STRING;
    }
    return b;
  }

  /** Whether a value written in full enters the value table: the short strings, 1 to 64 bytes. */
  private static boolean isShared(byte[] value) {
    int token = value[0] & 0xff;
    return token >= 0x40 && token < 0xc0;
  }

  /** A new set of back-reference tables over the strings interned so far. */
  BackReferences backReferences() {
    return new BackReferences(keys, values, table.size());
  }

  /**
   * The key and value tables of the body being written, one thread's: which interned string
   * sits at which index, as the decoder will have it at the same point.
   */
  static final class BackReferences {
    private final byte[][] keys;
    private final byte[][] values;
    private final int[] keyStamp;
    private final int[] keyIndex;
    private final int[] valueStamp;
    private final int[] valueIndex;
    private int keyCount;
    private int valueCount;
    /** A string's index is valid while its stamp equals the table's generation. */
    private int keyGeneration;
    private int valueGeneration;

    private BackReferences(byte[][] keys, byte[][] values, int size) {
      this.keys = keys;
      this.values = values;
      keyStamp = new int[size];
      keyIndex = new int[size];
      valueStamp = new int[size];
      valueIndex = new int[size];
    }

    /** Empties both tables, for a new body. */
    void startBody() {
      keyGeneration++;
      valueGeneration++;
      keyCount = 0;
      valueCount = 0;
    }

    /** Writes interned string {@code id} as a key. */
    void writeKey(GzipWriter out, int id) {
      if (keyStamp[id] == keyGeneration) {
        out.writeSmileKeyReference(keyIndex[id]);
        return;
      }
      byte[] full = keys[id];
      out.writeRaw(full);
      if (full[0] == 0x20) {
        // the empty key has a token of its own and no index
        return;
      }
      if (keyCount == TABLE_SIZE) {
        keyGeneration++;
        keyCount = 0;
      }
      if (isValidReference(keyCount)) {
        keyStamp[id] = keyGeneration;
        keyIndex[id] = keyCount;
      }
      keyCount++;
    }

    /** Writes interned string {@code id} as a value. */
    void writeValue(GzipWriter out, int id) {
      if (valueStamp[id] == valueGeneration) {
        out.writeSmileValueReference(valueIndex[id]);
        return;
      }
      byte[] full = values[id];
      out.writeRaw(full);
      if (!isShared(full)) {
        return;
      }
      if (valueCount == TABLE_SIZE) {
        valueGeneration++;
        valueCount = 0;
      }
      if (isValidReference(valueCount)) {
        valueStamp[id] = valueGeneration;
        valueIndex[id] = valueCount;
      }
      valueCount++;
    }

    private static boolean isValidReference(int index) {
      return (index & 0xff) < 0xfe;
    }
  }
}
