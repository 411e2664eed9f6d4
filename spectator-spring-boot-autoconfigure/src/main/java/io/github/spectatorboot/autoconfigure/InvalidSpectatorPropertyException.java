package io.github.spectatorboot.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.boot.convert.DurationStyle;

/**
 * A {@code spectator.*} property with a value the starter cannot work with; start-up stops and
 * {@link SpectatorPropertiesFailureAnalyzer} explains which property, why and how to fix it.
 */
public class InvalidSpectatorPropertyException extends RuntimeException {

  private final String property;
  private final String rejected;
  private final transient Object value;
  private final String reason;
  private final String fix;

  /**
   * A property whose value cannot be used.
   *
   * @param property the full property name, for example {@code spectator.batch-size}
   * @param value the value bound to it
   * @param reason why the value cannot be used
   * @param fix what to set instead
   */
  public InvalidSpectatorPropertyException(String property, Object value, String reason, String fix) {
    this(property, "value", value, reason, fix);
  }

  /**
   * A property of which one part cannot be used, for example the key of a map entry.
   *
   * @param property the full property name, for example {@code spectator.common-tags.x}
   * @param rejected what is rejected: {@code value}, or {@code key} for the key of a map entry
   * @param value the rejected value or key
   * @param reason why it cannot be used
   * @param fix what to set instead
   */
  public InvalidSpectatorPropertyException(String property, String rejected, Object value, String reason, String fix) {
    super("Invalid " + rejected + " '" + display(value) + "' for property '" + property + "': " + reason + ". " + fix);
    this.property = property;
    this.rejected = rejected;
    this.value = value;
    this.reason = reason;
    this.fix = fix;
  }

  /**
   * The value as a user writes it in {@code application.properties}: a duration as {@code 7ms} or
   * {@code 1m} (Boot's simple form, in the largest unit that holds it whole) rather than
   * {@code PT0.007S}.
   */
  static String display(Object value) {
    if (value instanceof Duration duration) {
      for (ChronoUnit unit : DISPLAY_UNITS) {
        if (duration.truncatedTo(unit).equals(duration)) {
          return DurationStyle.SIMPLE.print(duration, unit);
        }
      }
    }
    return String.valueOf(value);
  }

  private static final List<ChronoUnit> DISPLAY_UNITS = List.of(ChronoUnit.DAYS, ChronoUnit.HOURS,
      ChronoUnit.MINUTES, ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS);

  /** The full property name. */
  public String getProperty() {
    return property;
  }

  /** What is rejected: {@code value}, or {@code key} for the key of a map entry. */
  public String getRejected() {
    return rejected;
  }

  /** The rejected value (or key). */
  public Object getValue() {
    return value;
  }

  /** Why the value cannot be used. */
  public String getReason() {
    return reason;
  }

  /** What to set instead. */
  public String getFix() {
    return fix;
  }
}
