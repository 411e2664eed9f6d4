package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Statistic;

/**
 * Tag keys and statistic values of the Atlas data model, named once for the registry, the
 * encoders and the endpoint.
 */
public final class AtlasNames {

  /** Tag key holding the meter name. */
  public static final String NAME = "name";
  /** Tag key holding the statistic of a measurement. */
  public static final String STATISTIC = "statistic";
  /** Tag key telling the Atlas publish API how to normalise a value: {@code rate} or {@code gauge}. */
  public static final String DS_TYPE = "atlas.dstype";
  /** {@code atlas.dstype} of values that are rates per second. */
  public static final String DS_TYPE_RATE = "rate";
  /** {@code atlas.dstype} of values that are sampled as they are. */
  public static final String DS_TYPE_GAUGE = "gauge";

  /** Characters Atlas accepts in tag keys and values; everything else becomes {@code _}. */
  public static final String VALID_TAG_CHARACTERS = "-._A-Za-z0-9~^";

  static final String COUNT = Statistic.count.name();
  static final String TOTAL_TIME = Statistic.totalTime.name();
  static final String TOTAL_AMOUNT = Statistic.totalAmount.name();
  static final String TOTAL_OF_SQUARES = Statistic.totalOfSquares.name();
  static final String MAX = Statistic.max.name();
  static final String GAUGE = Statistic.gauge.name();

  private AtlasNames() {}
}
