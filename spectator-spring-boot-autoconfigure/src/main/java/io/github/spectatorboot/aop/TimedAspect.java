package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.annotation.Timed;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the methods of beans annotated with {@link Timed @Timed}: on the method, on a method it
 * overrides or implements (in a superclass or an interface), or on a class or interface of the bean.
 *
 * <p>Each call is recorded in a timer named by the annotation (default
 * {@value Timed#DEFAULT_NAME}) and tagged {@code class} (the bean class's short name, for example
 * {@code OrderService}), {@code method} and {@code exception} ({@code none}, the thrown class's
 * simple name, or {@code cancelled}), plus the annotation's extra tags; or, with
 * {@code percentiles}, in a {@code PercentileTimer}; or, with {@code longTask}, in a
 * {@code LongTaskTimer} tagged {@code class} and {@code method}. A call lasts until the method
 * returns or throws, until a returned {@code CompletionStage} completes, or, for a returned
 * {@code Mono} or {@code Flux}, from each subscription to its terminal signal or cancellation.
 *
 * <p>A failure inside the aspect is logged once at WARN and never reaches the caller; what the
 * method returns or throws reaches the caller unchanged.
 */
public class TimedAspect extends MeterAnnotationAdvisor<Timed> {

  private static final Logger logger = LoggerFactory.getLogger(TimedAspect.class);

  /** An aspect that records into {@code registry}, timing with the registry's clock. */
  public TimedAspect(Registry registry) {
    this(fixed(registry));
  }

  /**
   * An aspect that records into the registry {@code registry} supplies, asked for once: when the
   * context's singletons exist, or outside a context at the first annotated call. For example
   * {@code ObjectProvider::getObject}, so that the aspect can be created before the registry.
   */
  public TimedAspect(Supplier<? extends Registry> registry) {
    super(registry, Timed.class, logger);
  }

  @Override MethodRecorder recorder(AnnotatedMethod<Timed> annotated, Class<?> targetClass, Logger log) {
    MeterSpec spec = MeterSpec.timed(annotated);
    ReturnKind kind = ReturnKind.of(annotated.method().getReturnType());
    String name = annotated.describe();
    return spec.longTask()
        ? new LongTaskRecorder(registry(), spec, targetClass, kind, name, log)
        : new TimerRecorder(registry(), spec, targetClass, kind, name, log);
  }
}
