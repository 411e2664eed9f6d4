package io.github.spectatorboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Times every call of the annotated method, or of every method of the annotated class, with a
 * Spectator timer tagged {@code class}, {@code method} and {@code exception}.
 *
 * <p>It is found where Spring finds {@code @Transactional}: on the bean's method, on a method it
 * overrides or implements (in a superclass or an interface), on the bean's class, or on a
 * superclass or interface of it; a method's annotation wins over a class's. The annotation works
 * through a Spring AOP proxy, so calls from within the same bean or to private methods are not
 * timed.
 *
 * <p>What a call records: a synchronous method, the time from the call to its return or throw; a
 * method returning a {@code CompletionStage}, until the stage completes; a method returning a
 * Reactor {@code Mono} or {@code Flux}, from each subscription to its terminal signal or its
 * cancellation. The {@code exception} tag is the simple class name of what was thrown (for a failed
 * stage, the cause inside a {@code CompletionException}), {@code none} on success and
 * {@code cancelled} for a cancelled subscription or stage.
 *
 * <p>Attributes are checked when the application starts: a name or tag Atlas would reject, an odd
 * number of {@code extraTags} or a range that cannot be parsed stops the start with a message
 * naming the method.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timed {

  /** Meter name used when {@link #value()} is blank, the same as Micrometer's. */
  String DEFAULT_NAME = "method.timed";

  /**
   * Meter name, 2 to 255 characters; blank means {@value #DEFAULT_NAME}. Characters Atlas does not
   * accept become {@code _}. Atlas names are camelCase with at most two dotted prefixes, for
   * example {@code checkout.placeOrder}.
   */
  String value() default "";

  /**
   * Extra tags as key, value pairs, for example {@code {"region", "east", "tier", "gold"}}. Keys are
   * 2 to 60 characters, values 1 to 120; keys the aspect sets itself ({@code class}, {@code method},
   * {@code exception}, {@code result}) and Atlas's reserved keys ({@code name}, {@code statistic},
   * {@code percentile}, {@code atlas.*}, unknown {@code nf.*}) are refused. Values are static:
   * every call of the method carries the same ones.
   */
  String[] extraTags() default {};

  /**
   * Whether to record a {@code PercentileTimer}, whose bucket counters let Atlas compute
   * percentiles across instances. Each one costs up to a few hundred counters, so keep the tags'
   * cardinality low and set a range.
   */
  boolean percentiles() default false;

  /**
   * Smallest duration the percentile buckets resolve, as {@code 10ms}, {@code 1s} (units
   * {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}) or ISO-8601
   * ({@code PT0.01S}); shorter calls fall into the first bucket. Blank means zero. Only with
   * {@link #percentiles()}.
   */
  String percentileRangeMin() default "";

  /**
   * Largest duration the percentile buckets resolve, in the same format as
   * {@link #percentileRangeMin()}, typically the call's timeout; longer calls fall into the last
   * bucket. Blank means unbounded. Only with {@link #percentiles()}.
   */
  String percentileRangeMax() default "";

  /**
   * Whether to record a {@code LongTaskTimer} instead, which reports how many calls are in
   * progress ({@code activeTasks}) and for how long they have run ({@code duration}) while they
   * run, rather than completed calls. It is tagged {@code class} and {@code method} only, and
   * cannot be combined with {@link #percentiles()}.
   */
  boolean longTask() default false;
}
