package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ShortestDecimal} against two oracles: {@code Double.parseDouble} (every text reads back
 * as the same bits) and Jackson's copy of the JDK 19 Schubfach {@code Double.toString} (the same
 * text), plus JDK 17's own {@code Double.toString} (never longer than it).
 */
class ShortestDecimalTest {

  static final int RANDOM_VALUES = 2_000_000;

  static String write(double v) {
    byte[] out = new byte[ShortestDecimal.MAX_CHARS + 8];
    out[0] = 'x';
    int end = ShortestDecimal.write(v, out, 1);
    assertThat(end - 1).isLessThanOrEqualTo(ShortestDecimal.MAX_CHARS);
    assertThat(out[0]).as("writes nothing before its position").isEqualTo((byte) 'x');
    return new String(out, 1, end - 1, StandardCharsets.US_ASCII);
  }

  static void check(double v) {
    String ours = write(v);
    double back = Double.parseDouble(ours);
    if (Double.doubleToRawLongBits(back) != Double.doubleToRawLongBits(v)) {
      throw new AssertionError(ours + " reads back as " + back + ", not " + Double.toString(v));
    }
    String schubfach = tools.jackson.core.io.schubfach.DoubleToDecimal.toString(v);
    if (!ours.equals(schubfach)) {
      throw new AssertionError(ours + " for " + Double.toString(v) + ", Schubfach gives " + schubfach);
    }
    if (ours.length() > Double.toString(v).length()) {
      throw new AssertionError(ours + " is longer than " + Double.toString(v));
    }
  }

  @Test
  void edgeValuesReadBackExactly() {
    double[] edges = {
      0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 0.001, 0.0009999999999999998, 9999999.0,
      1.0E7, 9999999.999999998, 1.0E-3, 1.0E-4, 123456.789, 1.0E22, 1.0E23, 2.0E23, 9.007199254740991E15,
      9.007199254740992E15, 9.007199254740993E15, 1.8446744073709552E19,
      Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
      Math.nextDown(Double.MIN_NORMAL), Math.nextUp(Double.MIN_NORMAL), 2 * Double.MIN_VALUE, 3 * Double.MIN_VALUE,
      Math.nextDown(Double.MAX_VALUE), 4.9E-324, 1.0E-323, 2.2250738585072014E-308, 5.0E-324,
      1.0 / 60, 2.0 / 60, 7.0 / 60, 0.016666666666666666, 2.82879384806159E17, 1.0E-5, 5.0E-5, 1.2345E-300,
    };
    for (double v : edges) {
      check(v);
      check(-v);
    }
    assertThat(write(0.05)).isEqualTo("0.05");
    assertThat(write(1.0 / 60)).isEqualTo("0.016666666666666666");
    assertThat(write(1234.5)).isEqualTo("1234.5");
    assertThat(write(100.0)).isEqualTo("100.0");
    assertThat(write(1.0E7)).isEqualTo("1.0E7");
    assertThat(write(1.0E-5)).isEqualTo("1.0E-5");
    assertThat(write(-0.0)).isEqualTo("-0.0");
    assertThat(write(Double.MIN_VALUE)).isEqualTo("4.9E-324");
    assertThat(write(Double.MAX_VALUE)).isEqualTo("1.7976931348623157E308");
  }

  @Test
  void everyPowerOfTenAndOfTwoAndTheirNeighboursReadBackExactly() {
    for (int e = -324; e <= 308; e++) {
      checkWithNeighbours(Double.parseDouble("1E" + e));
    }
    for (int e = -1074; e <= 1023; e++) {
      checkWithNeighbours(Math.scalb(1.0, e));
    }
  }

  static void checkWithNeighbours(double v) {
    for (double x : new double[] {Math.nextDown(v), v, Math.nextUp(v)}) {
      if (Double.isFinite(x)) {
        check(x);
      }
    }
  }

  @Test
  void integersReadBackExactly() {
    for (long i = 0; i < 100_000; i++) {
      check(i);
    }
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      check(random.nextLong(1L << 62));
    }
  }

  @Test
  void randomBitPatternsReadBackExactly() {
    SplittableRandom random = new SplittableRandom(42);
    int checked = 0;
    while (checked < RANDOM_VALUES) {
      double v = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(v)) {
        check(v);
        checked++;
      }
    }
  }

  @Test
  void randomSubnormalsReadBackExactly() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 200_000; i++) {
      check(Double.longBitsToDouble(random.nextLong(1L << 52)));
    }
  }

  @Test
  void ratesAndLatenciesReadBackExactly() {
    // what a step holds: counts and sums divided by the step, and their squares
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 1_000_000; i++) {
      double count = random.nextInt(1, 1_000_000);
      check(count / 60);
      check(count / 5);
      double seconds = random.nextDouble() * random.nextInt(1, 1000);
      check(seconds);
      check(seconds * seconds / 60);
    }
  }

  @Test
  void refusesValuesThatAreNotFinite() {
    byte[] out = new byte[ShortestDecimal.MAX_CHARS];
    assertThatThrownBy(() -> ShortestDecimal.write(Double.NaN, out, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ShortestDecimal.write(Double.POSITIVE_INFINITY, out, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
