package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class GzipWriterTest {

  final GzipWriter out = new GzipWriter(64, Deflater.BEST_SPEED);

  String text(byte[] gzipped) {
    return new String(Payloads.gunzip(gzipped), StandardCharsets.UTF_8);
  }

  @Test
  void longsAndIndexesAreWrittenInDecimalAcrossBufferBoundaries() {
    SplittableRandom random = new SplittableRandom(1);
    StringBuilder expected = new StringBuilder();
    out.start();
    long[] edges = {0, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 123_456_789, Integer.MAX_VALUE, Long.MAX_VALUE,
      -1, -999, -1000, Long.MIN_VALUE + 1, Long.MIN_VALUE};
    for (long v : edges) {
      out.writeLong(v);
      out.writeByte(' ');
      expected.append(v).append(' ');
    }
    // enough to cross the 32 KB buffer several times
    for (int i = 0; i < 50_000; i++) {
      int index = i % 3 == 0 ? random.nextInt(1000) : random.nextInt(Integer.MAX_VALUE);
      out.writeCommaInt(index);
      expected.append(',').append(index);
      long v = random.nextLong() >> random.nextInt(64);
      out.writeByte(' ');
      out.writeLong(v);
      expected.append(' ').append(v);
    }
    assertThat(text(out.finish())).isEqualTo(expected.toString());
  }

  @Test
  void doublesAreWholeNumbersWithoutAFractionElseTheShortestDecimalAndNegativeZeroKeepsItsSign() {
    out.start();
    for (double v : new double[] {3.0, -3.0, 0.0, -0.0, 0.25, 1.0 / 60, 9.007199254740992E15, 1.0E300, -1.5E-7}) {
      out.writeDouble(v);
      out.writeByte(',');
    }
    assertThat(text(out.finish()))
        .isEqualTo("3,-3,0,-0.0,0.25,0.016666666666666666,9.007199254740992E15,1.0E300,-1.5E-7,");
  }
}
