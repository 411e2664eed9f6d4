package io.github.spectatorboot.autoconfigure;

/**
 * A {@code spectator.*} property with a value the starter cannot work with; start-up stops and
 * {@link SpectatorPropertiesFailureAnalyzer} explains which property, why and how to fix it.
 */
public class InvalidSpectatorPropertyException extends RuntimeException {

  private final String property;
  private final transient Object value;
  private final String reason;
  private final String fix;

  /**
   * @param property the full property name, for example {@code spectator.batch-size}
   * @param value the value bound to it
   * @param reason why the value cannot be used
   * @param fix what to set instead
   */
  public InvalidSpectatorPropertyException(String property, Object value, String reason, String fix) {
    super("Invalid value '" + value + "' for property '" + property + "': " + reason + ". " + fix);
    this.property = property;
    this.value = value;
    this.reason = reason;
    this.fix = fix;
  }

  /** The full property name. */
  public String getProperty() {
    return property;
  }

  /** The rejected value. */
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
