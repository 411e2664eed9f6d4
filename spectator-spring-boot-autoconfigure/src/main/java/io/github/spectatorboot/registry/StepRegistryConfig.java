package io.github.spectatorboot.registry;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Settings of a {@link StepRegistry}.
 *
 * @param step length of a step; every meter is rolled over once per step and rates are per second
 *     over it. Must be a positive whole number of milliseconds.
 * @param meterTtl how long a meter without updates keeps reporting before it is removed; a gauge
 *     keeps reporting its last value this long after its last {@code set}
 * @param maxMeters the most meters the registry holds; requests for new ids beyond it get no-op
 *     meters, counted in {@code spectator.registry.droppedMeters} and logged once
 * @param commonTags tags added to every measurement, for example {@code nf.app}
 */
public record StepRegistryConfig(
    Duration step, Duration meterTtl, int maxMeters, Map<String, String> commonTags) {

  /** Default step of the Atlas publish API. */
  public static final Duration DEFAULT_STEP = Duration.ofMinutes(1);
  /** Default time an idle meter keeps reporting, as Spectator's {@code atlas.meterTTL}. */
  public static final Duration DEFAULT_METER_TTL = Duration.ofMinutes(15);
  /** Default cap on the number of meters. */
  public static final int DEFAULT_MAX_METERS = 100_000;

  /** Checks the settings and copies the tags. */
  public StepRegistryConfig {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(meterTtl, "meterTtl");
    if (step.isNegative() || step.isZero() || step.toNanos() % 1_000_000L != 0) {
      throw new IllegalArgumentException("step must be a positive whole number of milliseconds, got " + step);
    }
    if (meterTtl.isNegative() || meterTtl.isZero()) {
      throw new IllegalArgumentException("meterTtl must be positive, got " + meterTtl);
    }
    if (maxMeters <= 0) {
      throw new IllegalArgumentException("maxMeters must be positive, got " + maxMeters);
    }
    TreeMap<String, String> sorted = new TreeMap<>(commonTags == null ? Map.of() : commonTags);
    sorted.forEach((k, v) -> {
      if (v == null) {
        throw new IllegalArgumentException("common tag '" + k + "' has no value");
      }
    });
    commonTags = Collections.unmodifiableSortedMap(sorted);
  }

  /** The defaults: a one minute step, a 15 minute TTL, 100,000 meters and no common tags. */
  public static StepRegistryConfig defaults() {
    return new StepRegistryConfig(DEFAULT_STEP, DEFAULT_METER_TTL, DEFAULT_MAX_METERS, Map.of());
  }

  /** A copy with another step. */
  public StepRegistryConfig withStep(Duration newStep) {
    return new StepRegistryConfig(newStep, meterTtl, maxMeters, commonTags);
  }

  /** A copy with another meter TTL. */
  public StepRegistryConfig withMeterTtl(Duration newTtl) {
    return new StepRegistryConfig(step, newTtl, maxMeters, commonTags);
  }

  /** A copy with another cap on the number of meters. */
  public StepRegistryConfig withMaxMeters(int newMax) {
    return new StepRegistryConfig(step, meterTtl, newMax, commonTags);
  }

  /** A copy with other common tags. */
  public StepRegistryConfig withCommonTags(Map<String, String> newTags) {
    return new StepRegistryConfig(step, meterTtl, maxMeters, newTags);
  }
}
