package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.annotation.Timed;
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
 * Times the methods of beans annotated with {@link Timed @Timed}, on the method or on the class.
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
public class TimedAspect implements PointcutAdvisor, MethodInterceptor {

  private static final Logger logger = LoggerFactory.getLogger(TimedAspect.class);

  private final Registry registry;
  private final Pointcut pointcut = new MeterAnnotationPointcut(Timed.class);
  private final RecorderCache recorders = new RecorderCache(this::recorder, logger);

  /** An aspect that records into {@code registry}, timing with the registry's clock. */
  public TimedAspect(Registry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Times the call; the method's own annotation wins over its class's. */
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
      AnnotatedMethod<Timed> annotated = AnnotatedMethod.find(method, targetClass, Timed.class);
      if (annotated == null) {
        // matched by the pointcut through an annotation this aspect does not read (an interface's)
        return MethodRecorder.disabled(targetClass, logger);
      }
      MeterSpec spec = MeterSpec.timed(annotated);
      ReturnKind kind = ReturnKind.of(annotated.method().getReturnType());
      String name = annotated.describe();
      return spec.longTask()
          ? new LongTaskRecorder(registry, spec, targetClass, kind, name, logger)
          : new TimerRecorder(registry, spec, targetClass, kind, name, logger);
    } catch (RuntimeException | LinkageError e) {
      logger.warn("@Timed on {}#{} is not recorded: {}", targetClass.getName(), method.getName(), e.getMessage(), e);
      return MethodRecorder.disabled(targetClass, logger);
    }
  }
}
