package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.annotation.Counted;
import java.lang.reflect.Method;
import java.util.Objects;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;

/**
 * Counts the calls of methods of beans annotated with {@link Counted @Counted}, on the method or
 * on the class.
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
public class CountedAspect implements PointcutAdvisor, MethodInterceptor {

  private static final Logger logger = LoggerFactory.getLogger(CountedAspect.class);

  private final Registry registry;
  private final Pointcut pointcut = new MeterAnnotationPointcut(Counted.class);
  private final RecorderCache recorders = new RecorderCache(this::recorder, logger);

  /** An aspect that records into {@code registry}. */
  public CountedAspect(Registry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Counts the call; the method's own annotation wins over its class's. */
  @Override public Object invoke(MethodInvocation invocation) throws Throwable {
    return recorders.get(invocation).proceed(invocation::proceed);
  }

  @Override public Pointcut getPointcut() {
    return pointcut;
  }

  @Override public Advice getAdvice() {
    return this;
  }

  private MethodRecorder recorder(Method method, Class<?> targetClass) {
    try {
      AnnotatedMethod<Counted> annotated = AnnotatedMethod.find(method, targetClass, Counted.class);
      if (annotated == null) {
        return MethodRecorder.disabled(targetClass, logger);
      }
      MeterSpec spec = MeterSpec.counted(annotated);
      ReturnKind kind = ReturnKind.of(annotated.method().getReturnType());
      return new CounterRecorder(registry, spec, targetClass, kind, annotated.describe(), logger);
    } catch (RuntimeException | LinkageError e) {
      logger.warn("@Counted on {}#{} is not recorded: {}", targetClass.getName(), method.getName(), e.getMessage(), e);
      return MethodRecorder.disabled(targetClass, logger);
    }
  }
}
