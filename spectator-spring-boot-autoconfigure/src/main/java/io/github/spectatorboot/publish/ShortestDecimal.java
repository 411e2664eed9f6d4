package io.github.spectatorboot.publish;

import java.math.BigInteger;

/**
 * Writes a finite {@code double} as the shortest decimal that reads back as the same
 * {@code double}, in ASCII, straight into a byte array: no {@code String}, no allocation.
 *
 * <p>The digits are those of Raffaello Giulietti's Schubfach algorithm ("The Schubfach way to
 * render doubles", 2020, https://drive.google.com/file/d/1gp5xv4CAa78SVgCeWfGqqI4FfYYYuNFb), the
 * algorithm behind {@code Double.toString} since JDK 19 (JDK-4511638): of the decimals that round
 * to the value, the one with the fewest digits, and of those the closest. The layout is
 * {@code Double.toString}'s: plain ({@code 0.05}, {@code 1234.5}) from 10<sup>-3</sup> to below
 * 10<sup>7</sup>, else computerized scientific ({@code 1.0E-5}, {@code 1.2345E7}). JDK 17's
 * {@code Double.toString} ({@code FloatingDecimal}) gives the same text for nearly every value
 * and sometimes one digit more; both read back exactly.
 *
 * <p>The table of 126-bit approximations of 10<sup>-k</sup> that the algorithm multiplies by
 * (section 9 of the paper: {@code g = floor(10^-k 2^-r) + 1} with
 * 2<sup>125</sup> &le; 10<sup>-k</sup> 2<sup>-r</sup> &lt; 2<sup>126</sup>) is computed exactly
 * with {@link BigInteger} when the class loads, rather than written out as 1,234 literals.
 */
final class ShortestDecimal {

  /** Longest output: {@code -d.ddddddddddddddddE-ddd}. */
  static final int MAX_CHARS = 24;

  private static final int P = 53;
  private static final int Q_MIN = -1074;
  private static final long C_MIN = 1L << (P - 1);
  private static final long FRACTION_MASK = C_MIN - 1;
  private static final long MASK_63 = (1L << 63) - 1;
  /** Subnormal significands below this get one more decimal digit of room (section 8.2.1). */
  private static final long C_TINY = 3;
  private static final int K_MIN = -324;
  private static final int K_MAX = 292;
  /** g1, g0 of each k from {@link #K_MIN} to {@link #K_MAX}: g = g1 2^63 + g0. */
  private static final long[] G = table();
  private static final long[] POW10 = new long[19];
  /** "00" to "99". */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int d = 0; d < 100; d++) {
      DIGIT_PAIRS[2 * d] = (byte) ('0' + d / 10);
      DIGIT_PAIRS[2 * d + 1] = (byte) ('0' + d % 10);
    }
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private ShortestDecimal() {}

  /**
   * Writes {@code v}, which must be finite, at {@code pos}; {@code out} needs {@link #MAX_CHARS}
   * bytes of room there.
   *
   * @return the position after the last byte written
   */
  static int write(double v, byte[] out, int pos) {
    long bits = Double.doubleToRawLongBits(v);
    if (bits < 0) {
      out[pos++] = '-';
    }
    long fraction = bits & FRACTION_MASK;
    int biased = (int) (bits >>> (P - 1)) & 0x7ff;
    if (biased == 0x7ff) {
      throw new IllegalArgumentException("not finite: " + v);
    }
    if (biased != 0) {
      return decimal(Q_MIN - 1 + biased, C_MIN | fraction, 0, out, pos);
    }
    if (fraction == 0) {
      out[pos] = '0';
      out[pos + 1] = '.';
      out[pos + 2] = '0';
      return pos + 3;
    }
    return fraction < C_TINY
        ? decimal(Q_MIN, 10 * fraction, -1, out, pos)
        : decimal(Q_MIN, fraction, 0, out, pos);
  }

  /** The shortest decimal of c 2^q (10^dk of it when c was scaled by 10), written at pos. */
  private static int decimal(int q, long c, int dk, byte[] out, int pos) {
    // the rounding interval [vl, vr] of v, all scaled by 4 (figure 7 of the paper); its bounds
    // belong to it when c is even (round half to even reads them back as v)
    int closed = (int) c & 1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
      cbl = cb - 2;
      k = floorLog10Pow2(q);
    } else {
      // at a power of two the interval below is half as wide
      cbl = cb - 1;
      k = floorLog10ThreeQuartersPow2(q);
    }
    int h = q + floorLog2Pow10(-k) + 2;
    long g1 = G[(k - K_MIN) << 1];
    long g0 = G[(k - K_MIN) << 1 | 1];
    long vb = roundToOdd(g1, g0, cb << h);
    long vbl = roundToOdd(g1, g0, cbl << h);
    long vbr = roundToOdd(g1, g0, cbr << h);

    long s = vb >> 2;
    if (s >= 100) {
      // one digit fewer, if exactly one of the two neighbours with a trailing zero is in range
      long sp10 = s / 10 * 10;
      long tp10 = sp10 + 10;
      boolean upin = vbl + closed <= sp10 << 2;
      boolean wpin = (tp10 << 2) + closed <= vbr;
      if (upin != wpin) {
        return format(upin ? sp10 : tp10, k, out, pos);
      }
    }
    long t = s + 1;
    boolean uin = vbl + closed <= s << 2;
    boolean win = (t << 2) + closed <= vbr;
    if (uin != win) {
      return format(uin ? s : t, k + dk, out, pos);
    }
    // both in range: the closer one, the even one on a tie
    long cmp = vb - ((s + t) << 1);
    return format(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k + dk, out, pos);
  }

  /** f 10^e in {@code Double.toString}'s layout. */
  private static int format(long f, int e, byte[] out, int pos) {
    while (f % 10 == 0) {
      f /= 10;
      e++;
    }
    int n = digitCount(f);
    // the value is d.ddd 10^exp
    int exp = e + n - 1;
    if (exp >= 0 && exp < 7) {
      digits(f, n, out, pos);
      if (n <= exp + 1) {
        pos += n;
        for (int z = n; z <= exp; z++) {
          out[pos++] = '0';
        }
        out[pos] = '.';
        out[pos + 1] = '0';
        return pos + 2;
      }
      int point = pos + exp + 1;
      System.arraycopy(out, point, out, point + 1, n - exp - 1);
      out[point] = '.';
      return pos + n + 1;
    }
    if (exp < 0 && exp >= -3) {
      out[pos++] = '0';
      out[pos++] = '.';
      for (int z = -1; z > exp; z--) {
        out[pos++] = '0';
      }
      digits(f, n, out, pos);
      return pos + n;
    }
    digits(f, n, out, pos + 1);
    out[pos] = out[pos + 1];
    out[pos + 1] = '.';
    if (n == 1) {
      out[pos + 2] = '0';
      pos += 3;
    } else {
      pos += n + 1;
    }
    out[pos++] = 'E';
    if (exp < 0) {
      out[pos++] = '-';
      exp = -exp;
    }
    if (exp >= 100) {
      out[pos++] = (byte) ('0' + exp / 100);
      exp %= 100;
      out[pos++] = (byte) ('0' + exp / 10);
    } else if (exp >= 10) {
      out[pos++] = (byte) ('0' + exp / 10);
    }
    out[pos++] = (byte) ('0' + exp % 10);
    return pos;
  }

  /** The number of decimal digits of {@code f}, which is not negative. */
  static int digitCount(long f) {
    int n = 1;
    while (n < 19 && f >= POW10[n]) {
      n++;
    }
    return n;
  }

  /** The n decimal digits of f (not negative) at out[pos, pos + n), two at a time. */
  static void digits(long f, int n, byte[] out, int pos) {
    int i = pos + n;
    while (f >= 100) {
      long next = f / 100;
      int two = (int) (f - next * 100);
      out[--i] = DIGIT_PAIRS[2 * two + 1];
      out[--i] = DIGIT_PAIRS[2 * two];
      f = next;
    }
    if (f >= 10) {
      out[--i] = DIGIT_PAIRS[2 * (int) f + 1];
      out[--i] = DIGIT_PAIRS[2 * (int) f];
    } else {
      out[--i] = (byte) ('0' + f);
    }
  }

  /**
   * cp g 2^-127 rounded to odd (section 9.9 of the paper): the integer part, with its lowest bit
   * set when a fraction was dropped.
   */
  private static long roundToOdd(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long integer = y1 + (z >>> 63);
    return integer | ((z & MASK_63) + MASK_63) >>> 63;
  }

  /** floor(log10(2^e)), exact for |e| up to about 6 million: floor(e floor(log10(2) 2^41) / 2^41). */
  static int floorLog10Pow2(int e) {
    return (int) (e * 661_971_961_083L >> 41);
  }

  /** floor(log10(3/4 2^e)). */
  static int floorLog10ThreeQuartersPow2(int e) {
    return (int) (e * 661_971_961_083L - 274_743_187_321L >> 41);
  }

  /** floor(log2(10^e)). */
  static int floorLog2Pow10(int e) {
    return (int) (e * 913_124_641_741L >> 38);
  }

  /** g for each k, split into its high and low 63 bits. */
  private static long[] table() {
    long[] g = new long[2 * (K_MAX - K_MIN + 1)];
    BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
    for (int k = K_MIN; k <= K_MAX; k++) {
      // 10^-k = beta 2^r with 2^125 <= beta < 2^126
      int r = floorLog2Pow10(-k) - 125;
      BigInteger beta;
      if (k <= 0) {
        BigInteger p = BigInteger.TEN.pow(-k);
        beta = r >= 0 ? p.shiftRight(r) : p.shiftLeft(-r);
      } else {
        beta = BigInteger.ONE.shiftLeft(-r).divide(BigInteger.TEN.pow(k));
      }
      BigInteger value = beta.add(BigInteger.ONE);
      g[(k - K_MIN) << 1] = value.shiftRight(63).longValueExact();
      g[(k - K_MIN) << 1 | 1] = value.and(mask63).longValueExact();
    }
    return g;
  }
}
