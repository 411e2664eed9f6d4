package io.github.spectatorboot.publish;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a request body, JSON text or Smile, straight into gzip: bytes collect in a small buffer
 * that is deflated whenever it fills, so a body of ten thousand measurements never exists
 * uncompressed. Both buffers and the {@link Deflater} are reused from one body to the next; the
 * only allocation per body is the finished body itself. Not thread-safe.
 *
 * <p>Its callers write fragments they encoded once (a meter's tags do not change between steps)
 * and the numbers of the step. For JSON, strings are escaped as JSON requires; for Smile (the
 * binary JSON of Jackson's {@code jackson-dataformat-smile}, which Spectator Java's
 * {@code AtlasRegistry} sends), the {@code writeSmile...} methods write its number tokens and
 * back-references, and {@link SmileStrings} its strings.
 */
final class GzipWriter implements AutoCloseable {

  private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  /** Longs represent every integer up to 2^53 exactly; beyond that a double is written as such. */
  private static final double MAX_EXACT_LONG = 9.007199254740992E15;
  /** {@code 0} to {@code 999} as little-endian ints: the aggregator's indexes and most counts are below 1,000. */
  private static final int SMALL = 1000;
  private static final int[] SMALL_TEXT = new int[SMALL];
  private static final VarHandle INT_VIEW = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);
  private static final byte SMILE_INT_32 = 0x24;
  private static final byte SMILE_INT_64 = 0x25;
  private static final byte SMILE_FLOAT_64 = 0x29;
  /** {@code 0} to {@code 4095} as Smile integers, little-endian ints: 1 to 3 bytes, the aggregator's indexes and counts. */
  private static final int SMILE_SMALL = 4096;
  private static final int[] SMILE_SMALL_BYTES = new int[SMILE_SMALL];

  static {
    for (int v = 0; v < SMALL; v++) {
      byte[] text = Integer.toString(v).getBytes(StandardCharsets.US_ASCII);
      int packed = 0;
      for (int b = text.length - 1; b >= 0; b--) {
        packed = packed << 8 | text[b];
      }
      SMALL_TEXT[v] = packed;
    }
    byte[] smile = new byte[11];
    for (int v = 0; v < SMILE_SMALL; v++) {
      int n = putSmileLong(smile, 0, v);
      int packed = 0;
      for (int b = n - 1; b >= 0; b--) {
        packed = packed << 8 | (smile[b] & 0xff);
      }
      SMILE_SMALL_BYTES[v] = packed;
    }
  }

  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private final byte[] in = new byte[32 * 1024];
  private int length;
  private long total;
  private byte[] out;
  private int outLength;

  /**
   * @param expectedBytes a guess at the size of one compressed body
   * @param level the {@link Deflater} level: zlib's levels 1 to 3 share its fast matcher and cost
   *     about the same time, each smaller than the last ({@code PublishStepSplit} measures them)
   */
  GzipWriter(int expectedBytes, int level) {
    out = new byte[Math.max(1024, expectedBytes)];
    deflater = new Deflater(level, true);
  }

  /** Starts a body. */
  void start() {
    deflater.reset();
    crc.reset();
    length = 0;
    total = 0;
    System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
    outLength = GZIP_HEADER.length;
  }

  /** Finishes the body and returns it, gzip-compressed. */
  byte[] finish() {
    flush();
    deflater.finish();
    while (!deflater.finished()) {
      deflateSome();
    }
    ensureOut(8);
    int c = (int) crc.getValue();
    int n = (int) total;
    for (int shift = 0; shift < 32; shift += 8) {
      out[outLength++] = (byte) (c >>> shift);
    }
    for (int shift = 0; shift < 32; shift += 8) {
      out[outLength++] = (byte) (n >>> shift);
    }
    return Arrays.copyOf(out, outLength);
  }

  void writeRaw(byte[] bytes) {
    if (bytes.length > in.length - length) {
      flush();
      if (bytes.length > in.length) {
        feed(bytes, 0, bytes.length);
        return;
      }
    }
    System.arraycopy(bytes, 0, in, length, bytes.length);
    length += bytes.length;
  }

  void writeByte(char c) {
    if (length == in.length) {
      flush();
    }
    in[length++] = (byte) c;
  }

  void writeLong(long v) {
    if (in.length - length < 21) {
      flush();
    }
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        writeAscii(Long.toString(v));
        return;
      }
      in[length++] = '-';
      v = -v;
    }
    putNonNegative(v);
  }

  /** Writes a comma and {@code v}, which is not negative: the aggregator's indexes and counts. */
  void writeCommaInt(int v) {
    if (in.length - length < 21) {
      flush();
    }
    in[length++] = ',';
    putNonNegative(v);
  }

  /** Writes {@code v} at the position, which has room for 20 bytes. */
  private void putNonNegative(long v) {
    if (v < SMALL) {
      // one 4-byte store of the text (the bytes past it are written over later), then the
      // position moves by its length
      INT_VIEW.set(in, length, SMALL_TEXT[(int) v]);
      length += v < 10 ? 1 : v < 100 ? 2 : 3;
      return;
    }
    int n = ShortestDecimal.digitCount(v);
    ShortestDecimal.digits(v, n, in, length);
    length += n;
  }

  /**
   * Writes a finite value: without a fraction when it is a whole number (counters mostly are),
   * else as the shortest decimal that reads back as the same {@code double}
   * ({@link ShortestDecimal}), straight into the buffer. {@code -0.0} keeps its sign.
   */
  void writeDouble(double v) {
    if (v == Math.rint(v) && Math.abs(v) < MAX_EXACT_LONG && Double.doubleToRawLongBits(v) != NEGATIVE_ZERO) {
      writeLong((long) v);
      return;
    }
    if (in.length - length < ShortestDecimal.MAX_CHARS) {
      flush();
    }
    length = ShortestDecimal.write(v, in, length);
  }

  /**
   * Writes {@code v} as a Smile integer: a small int token from -16 to 15, else a 32-bit or
   * 64-bit zigzag varint, as Jackson's {@code SmileGenerator.writeNumber(long)} does.
   */
  void writeSmileLong(long v) {
    if (in.length - length < 11) {
      flush();
    }
    if (v >= 0 && v < SMILE_SMALL) {
      // one 4-byte store, as putNonNegative: a small int token, or a token and one or two bytes
      INT_VIEW.set(in, length, SMILE_SMALL_BYTES[(int) v]);
      length += v < 16 ? 1 : v < 32 ? 2 : 3;
      return;
    }
    length = putSmileLong(in, length, v);
  }

  /** {@code v} as a Smile integer, for a number written many times. */
  static byte[] smileLong(long v) {
    byte[] b = new byte[11];
    return Arrays.copyOf(b, putSmileLong(b, 0, v));
  }

  /** Puts {@code v} as a Smile integer at {@code pos}, which has room for 11 bytes; returns the position after it. */
  private static int putSmileLong(byte[] b, int pos, long v) {
    long zigzag = (v << 1) ^ (v >> 63);
    if (v >= -16 && v <= 15) {
      b[pos] = (byte) (0xc0 + zigzag);
      return pos + 1;
    }
    b[pos++] = v == (int) v ? SMILE_INT_32 : SMILE_INT_64;
    // 7 bits a byte, most significant first; the last byte holds 6 bits and has its top bit set
    int bytes = 1;
    for (long rest = zigzag >>> 6; rest != 0; rest >>>= 7) {
      bytes++;
    }
    for (int k = bytes - 1; k > 0; k--) {
      b[pos++] = (byte) ((zigzag >>> (6 + 7 * (k - 1))) & 0x7f);
    }
    b[pos++] = (byte) (0x80 | (zigzag & 0x3f));
    return pos;
  }

  /**
   * Writes a finite value as a Smile number: a whole number as an integer ({@link
   * #writeSmileLong}), as {@link #writeDouble} does for JSON, else the 64 bits of the double, 7
   * to a byte, as Jackson's {@code SmileGenerator.writeNumber(double)} does.
   */
  void writeSmileDouble(double v) {
    if (v == Math.rint(v) && Math.abs(v) < MAX_EXACT_LONG && Double.doubleToRawLongBits(v) != NEGATIVE_ZERO) {
      writeSmileLong((long) v);
      return;
    }
    if (in.length - length < 11) {
      flush();
    }
    long bits = Double.doubleToRawLongBits(v);
    in[length++] = SMILE_FLOAT_64;
    in[length++] = (byte) (bits >>> 63);
    for (int shift = 56; shift >= 0; shift -= 7) {
      in[length++] = (byte) ((bits >>> shift) & 0x7f);
    }
  }

  /** Writes a back-reference to the Smile key (property name) at {@code index} of the shared-name table. */
  void writeSmileKeyReference(int index) {
    if (in.length - length < 2) {
      flush();
    }
    if (index < 64) {
      in[length++] = (byte) (0x40 + index);
    } else {
      in[length++] = (byte) (0x30 + (index >> 8));
      in[length++] = (byte) index;
    }
  }

  /** Writes a back-reference to the Smile string value at {@code index} of the shared-value table. */
  void writeSmileValueReference(int index) {
    if (in.length - length < 2) {
      flush();
    }
    if (index < 31) {
      in[length++] = (byte) (1 + index);
    } else {
      in[length++] = (byte) (0xec + (index >> 8));
      in[length++] = (byte) index;
    }
  }

  /** {@code s} as a JSON string, quotes included, in UTF-8: for fragments encoded once. */
  static byte[] quoted(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override public void close() {
    deflater.end();
  }

  @SuppressWarnings("deprecation")
  private void writeAscii(String s) {
    int n = s.length();
    if (in.length - length < n) {
      flush();
    }
    // the deprecated getBytes copies the low byte of each char: exact for ASCII, no allocation
    s.getBytes(0, n, in, length);
    length += n;
  }

  private void flush() {
    if (length > 0) {
      feed(in, 0, length);
      length = 0;
    }
  }

  private void feed(byte[] bytes, int offset, int n) {
    crc.update(bytes, offset, n);
    total += n;
    deflater.setInput(bytes, offset, n);
    while (!deflater.needsInput()) {
      deflateSome();
    }
  }

  private void deflateSome() {
    ensureOut(8192);
    outLength += deflater.deflate(out, outLength, out.length - outLength);
  }

  private void ensureOut(int room) {
    if (out.length - outLength < room) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, outLength + room));
    }
  }
}
