package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Smile written by {@link GzipWriter} and {@link SmileStrings}, read back by Jackson's own
 * {@code SmileParser} (Atlas's reader): every kind of string (empty, ASCII and other UTF-8, short
 * and long, as keys and as values), every back-reference, and numbers at the edges of each
 * encoding.
 */
class SmileStringsTest {

  final GzipWriter out = new GzipWriter(1024, Deflater.BEST_SPEED);
  final SmileStrings strings = new SmileStrings();

  /** Strings whose encodings change at 32, 33, 56, 57, 64 and 65 bytes, ASCII or not. */
  static List<String> edgeStrings() {
    List<String> all = new ArrayList<>(List.of("", "a", "é", "名前", "nf.app", "\u0000", "a\"b\\c", "😀"));
    for (int length : new int[] {31, 32, 33, 55, 56, 57, 63, 64, 65, 66, 200}) {
      all.add("x".repeat(length));
      // two, three and four UTF-8 bytes per character, padded to UTF-8 lengths either side of each edge
      all.add("é".repeat(length / 2) + "z".repeat(length % 2));
      all.add("名".repeat(length / 3) + "z".repeat(length % 3));
      all.add("z".repeat(length % 4) + "😀".repeat(length / 4));
    }
    return all;
  }

  @Test
  void everyKindOfStringReadsBackAsKeyAndAsValueInFullAndByReference() {
    List<String> all = edgeStrings();
    int[] ids = all.stream().mapToInt(strings::intern).toArray();
    SmileStrings.BackReferences refs = strings.backReferences();
    ArrayNode expected = JsonNodeFactory.instance.arrayNode();
    out.start();
    refs.startBody();
    out.writeRaw(SmileStrings.HEADER_SHARED);
    out.writeByte(SmileStrings.START_ARRAY);
    // three rounds: in full, then by reference (short ones), twice
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < all.size(); i++) {
        out.writeByte(SmileStrings.START_OBJECT);
        refs.writeKey(out, ids[i]);
        refs.writeValue(out, ids[(i + round) % ids.length]);
        out.writeByte(SmileStrings.END_OBJECT);
        expected.addObject().put(all.get(i), all.get((i + round) % ids.length));
      }
    }
    out.writeByte(SmileStrings.END_ARRAY);

    assertThat(read(out.finish())).isEqualTo(expected);
  }

  @Test
  void tablesFullerThanSmileAllowsStartAgainAsJacksonsDoAcrossBodies() {
    // 5,000 distinct strings used in a random order, with repeats: the tables fill, start again,
    // and skip the indexes ending in 0xFE and 0xFF, many times; a second body starts from empty
    SplittableRandom random = new SplittableRandom(3);
    int[] ids = new int[5_000];
    List<String> all = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      all.add("s" + i);
      ids[i] = strings.intern(all.get(i));
    }
    SmileStrings.BackReferences refs = strings.backReferences();
    for (int body = 0; body < 2; body++) {
      ArrayNode expected = JsonNodeFactory.instance.arrayNode();
      out.start();
      refs.startBody();
      out.writeRaw(SmileStrings.HEADER_SHARED);
      out.writeByte(SmileStrings.START_ARRAY);
      for (int n = 0; n < 30_000; n++) {
        int k = random.nextInt(n < 10_000 ? 300 : ids.length);
        int v = random.nextInt(n < 10_000 ? 3_000 : ids.length);
        out.writeByte(SmileStrings.START_OBJECT);
        refs.writeKey(out, ids[k]);
        refs.writeValue(out, ids[v]);
        out.writeByte(SmileStrings.END_OBJECT);
        expected.addObject().put(all.get(k), all.get(v));
      }
      out.writeByte(SmileStrings.END_ARRAY);
      assertThat(read(out.finish())).as("body %d", body).isEqualTo(expected);
    }
  }

  @Test
  void numbersReadBackExactlyAtTheEdgesOfEachEncoding() {
    long[] longs = {0, 1, -1, 15, 16, -16, -17, 31, 32, 63, 64, 4095, 4096, 8191, 8192, 1 << 20,
      Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, 1_796_461_800_000L,
      Long.MAX_VALUE, Long.MIN_VALUE};
    double[] doubles = {0.0, -0.0, 1.0, -3.0, 0.1, 1.0 / 60, 9.007199254740992E15, 1.0E300, -1.5E-7,
      Double.MIN_VALUE, Double.MAX_VALUE};
    out.start();
    out.writeRaw(SmileStrings.HEADER_PLAIN);
    out.writeByte(SmileStrings.START_ARRAY);
    for (long v : longs) {
      out.writeSmileLong(v);
    }
    for (double v : doubles) {
      out.writeSmileDouble(v);
    }
    out.writeByte(SmileStrings.END_ARRAY);

    JsonNode read = read(out.finish());
    for (int i = 0; i < longs.length; i++) {
      assertThat(read.get(i).isIntegralNumber()).as("%s is an integer", longs[i]).isTrue();
      assertThat(read.get(i).longValue()).isEqualTo(longs[i]);
    }
    for (int i = 0; i < doubles.length; i++) {
      double v = read.get(longs.length + i).doubleValue();
      assertThat(Double.doubleToRawLongBits(v)).as("%s read back as %s", doubles[i], v)
          .isEqualTo(Double.doubleToRawLongBits(doubles[i]));
    }
    // whole numbers go as integers, as in JSON, except -0.0, whose sign an integer would lose
    assertThat(read.get(longs.length + 2).isIntegralNumber()).isTrue();
    assertThat(read.get(longs.length + 1).isIntegralNumber()).isFalse();
  }

  @Test
  void forgettingStringsLeavesTablesMadeBeforeReadingTheirOwn() {
    int id = strings.intern("kept");
    SmileStrings.BackReferences refs = strings.backReferences();
    strings.clear();
    strings.intern("other");
    ObjectNode expected = JsonNodeFactory.instance.objectNode().put("kept", "kept");
    out.start();
    refs.startBody();
    out.writeRaw(SmileStrings.HEADER_SHARED);
    out.writeByte(SmileStrings.START_OBJECT);
    refs.writeKey(out, id);
    refs.writeValue(out, id);
    out.writeByte(SmileStrings.END_OBJECT);

    assertThat(read(out.finish())).isEqualTo(expected);
  }

  static JsonNode read(byte[] gzipped) {
    byte[] body = Payloads.gunzip(gzipped);
    assertThat(Payloads.isSmile(body)).isTrue();
    return Payloads.readSmile(body);
  }
}
