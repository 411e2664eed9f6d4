package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.annotation.Counted;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the calls of methods of beans annotated with {@link Counted @Counted}: on the method, on a
 * method it overrides or implements (in a superclass or an interface), or on a class or interface
 * of the bean.
 *
 * <p>Each call is counted once, when it ends, in a counter named by the annotation (default
 * {@value Counted#DEFAULT_NAME}) and tagged {@code class} (the bean class's short name),
 * {@code method}, {@code result} ({@code success}, {@code failure} or {@code cancelled}) and
 * {@code exception} ({@code none}, the thrown class's simple name, or {@code cancelled}), plus the
 * annotation's extra tags. A call ends when the method returns or throws, when a returned
 * {@code CompletionStage} completes, or, for a returned {@code Mono} or {@code Flux}, at each
 * subscription's terminal signal or cancellation.
 *
 * <p>A failure inside the aspect is logged once at WARN and never reaches the caller; what the
 * method returns or throws reaches the caller unchanged.
 */
public class CountedAspect extends MeterAnnotationAdvisor<Counted> {

  private static final Logger logger = LoggerFactory.getLogger(CountedAspect.class);

  /** An aspect that records into {@code registry}. */
  public CountedAspect(Registry registry) {
    this(fixed(registry));
  }

  /**
   * An aspect that records into the registry {@code registry} supplies, asked for once: when the
   * context's singletons exist, or outside a context at the first annotated call. For example
   * {@code ObjectProvider::getObject}, so that the aspect can be created before the registry.
   */
  public CountedAspect(Supplier<? extends Registry> registry) {
    super(registry, Counted.class, logger);
  }

  @Override MethodRecorder recorder(AnnotatedMethod<Counted> annotated, Class<?> targetClass, Logger log) {
    MeterSpec spec = MeterSpec.counted(annotated);
    ReturnKind kind = ReturnKind.of(annotated.method().getReturnType());
    return new CounterRecorder(registry(), spec, targetClass, kind, annotated.describe(), log);
  }
}
