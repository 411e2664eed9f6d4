package io.github.spectatorboot.aop;

/**
 * Thrown at start-up for a {@code @Timed} or {@code @Counted} whose attributes Atlas would reject
 * or the aspect cannot use; the message names the annotated method, the attribute and the fix.
 */
public class InvalidMeterAnnotationException extends IllegalStateException {

  private final String annotation;
  private final String annotatedElement;
  private final String attribute;
  private final String problem;
  private final String fix;

  /**
   * An exception for one attribute.
   *
   * @param annotation the annotation's simple name, for example {@code Timed}
   * @param annotatedElement the method ({@code com.example.Orders#place(Order)}) or class
   * @param attribute the attribute at fault, for example {@code extraTags}
   * @param problem what is wrong, as a sentence without its full stop
   * @param fix what to change, as a sentence without its full stop
   */
  public InvalidMeterAnnotationException(
      String annotation, String annotatedElement, String attribute, String problem, String fix) {
    super("Invalid @" + annotation + " on " + annotatedElement + ": " + problem + ". Fix: " + fix + ".");
    this.annotation = annotation;
    this.annotatedElement = annotatedElement;
    this.attribute = attribute;
    this.problem = problem;
    this.fix = fix;
  }

  /** The annotation's simple name, for example {@code Timed}. */
  public String annotation() {
    return annotation;
  }

  /** The annotated method as {@code class#method(parameter types)}, or the annotated class. */
  public String annotatedElement() {
    return annotatedElement;
  }

  /** The attribute at fault, for example {@code extraTags}. */
  public String attribute() {
    return attribute;
  }

  /** What is wrong, suitable as a failure analysis description. */
  public String problem() {
    return problem;
  }

  /** What to change, suitable as a failure analysis action. */
  public String fix() {
    return fix;
  }
}
