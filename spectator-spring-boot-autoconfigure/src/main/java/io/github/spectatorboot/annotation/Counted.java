package io.github.spectatorboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Counts every call of the annotated method, or of every method of the annotated class, with a
 * Spectator counter tagged {@code class}, {@code method}, {@code result} ({@code success},
 * {@code failure} or {@code cancelled}) and {@code exception} (the simple class name of what was
 * thrown, {@code none} on success, {@code cancelled} for a cancelled subscription or stage).
 *
 * <p>It is found where Spring finds {@code @Transactional}: on the bean's method, on a method it
 * overrides or implements (in a superclass or an interface), on the bean's class, or on a
 * superclass or interface of it; a method's annotation wins over a class's. The annotation works
 * through a Spring AOP proxy, so calls from within the same bean or to private methods are not
 * counted.
 *
 * <p>A call is counted when it ends: a synchronous method when it returns or throws, a method
 * returning a {@code CompletionStage} when the stage completes, a method returning a Reactor
 * {@code Mono} or {@code Flux} once per subscription, at its terminal signal or cancellation.
 *
 * <p>Attributes are checked when the application starts, as for {@link Timed}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Counted {

  /** Meter name used when {@link #value()} is blank, the same as Micrometer's. */
  String DEFAULT_NAME = "method.counted";

  /**
   * Meter name, 2 to 255 characters; blank means {@value #DEFAULT_NAME}. Characters Atlas does not
   * accept become {@code _}.
   */
  String value() default "";

  /**
   * Extra tags as key, value pairs, with the same rules as {@link Timed#extraTags()}.
   */
  String[] extraTags() default {};

  /**
   * Whether to count only calls that fail ({@code result=failure}); successful and cancelled calls
   * are then not counted at all.
   */
  boolean recordFailuresOnly() default false;
}
