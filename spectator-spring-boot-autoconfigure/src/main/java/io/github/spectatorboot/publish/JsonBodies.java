package io.github.spectatorboot.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes request bodies for one encoding pass: Jackson's streaming generator straight into a gzip
 * stream, into a buffer reused from one batch to the next. Not thread-safe: one per
 * {@code encode} call.
 */
final class JsonBodies {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** Longs represent every integer up to 2^53 exactly; beyond that a double is written as such. */
  private static final double MAX_EXACT_LONG = 9.007199254740992E15;

  private final ByteArrayOutputStream buffer;
  private final StringBuilder digits = new StringBuilder(32);
  private final char[] chars = new char[32];

  /** @param expectedBytes a guess at the size of one compressed body */
  JsonBodies(int expectedBytes) {
    this.buffer = new ByteArrayOutputStream(Math.max(1024, expectedBytes));
  }

  /** A generator for the next body; {@link #finish} it before starting another. */
  JsonGenerator start() {
    buffer.reset();
    try {
      return FACTORY.createGenerator(new FastGzipOutputStream(buffer));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the generator, which finishes the gzip stream, and returns the compressed body. */
  byte[] finish(JsonGenerator gen) {
    gen.close();
    return buffer.toByteArray();
  }

  /**
   * Writes a finite value: without a fraction when it is a whole number (counters mostly are),
   * else as {@link Double#toString} does. Formatting through a reused {@link StringBuilder} keeps
   * to a few bytes per value, where Jackson's {@code writeNumber(double)} allocates a string
   * and its buffers for each (about 120 bytes, 12 MB for a step of 100,000 rates).
   */
  void writeValue(JsonGenerator gen, double value) {
    if (value == Math.rint(value) && Math.abs(value) < MAX_EXACT_LONG) {
      gen.writeNumber((long) value);
      return;
    }
    digits.setLength(0);
    digits.append(value);
    int n = digits.length();
    digits.getChars(0, n, chars, 0);
    gen.writeNumber(chars, 0, n);
  }

  /** gzip at the fastest level, as Spectator Java does: payloads are repetitive and CPU on this path matters more. */
  private static final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
