package io.github.spectatorboot.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/** Jackson's streaming generator writing straight into a gzip stream, shared by both encoders. */
final class JsonBodies {

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  /** Longs represent every integer up to 2^53 exactly; beyond that a double is written as such. */
  private static final double MAX_EXACT_LONG = 9.007199254740992E15;

  private JsonBodies() {}

  /** A generator whose output is gzip-compressed into {@code out}; closing it finishes the gzip stream. */
  static JsonGenerator open(ByteArrayOutputStream out) {
    try {
      return FACTORY.createGenerator(new FastGzipOutputStream(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a finite value, without a fraction when it is a whole number (counters mostly are). */
  static void writeValue(JsonGenerator gen, double value) {
    if (value == Math.rint(value) && Math.abs(value) < MAX_EXACT_LONG) {
      gen.writeNumber((long) value);
    } else {
      gen.writeNumber(value);
    }
  }

  /** gzip at the fastest level: payloads are small and repetitive, and CPU on the publish path matters more. */
  private static final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
