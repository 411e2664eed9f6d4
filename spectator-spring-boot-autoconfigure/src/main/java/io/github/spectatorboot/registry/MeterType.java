package io.github.spectatorboot.registry;

/** The kind of meter a measurement in a {@link StepSnapshot} came from. */
public enum MeterType {
  /** A counter: one {@code count} measurement (or the statistic already on its id). */
  COUNTER,
  /** A timer: {@code count}, {@code totalTime}, {@code totalOfSquares} and {@code max}, in seconds. */
  TIMER,
  /** A distribution summary: {@code count}, {@code totalAmount}, {@code totalOfSquares}, {@code max}. */
  DISTRIBUTION_SUMMARY,
  /** A gauge: the last value set. */
  GAUGE,
  /** A max gauge: the largest value set within the step. */
  MAX_GAUGE
}
