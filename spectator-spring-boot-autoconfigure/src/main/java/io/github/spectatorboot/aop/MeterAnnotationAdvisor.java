package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Registry;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.function.SingletonSupplier;

/**
 * What {@link TimedAspect} and {@link CountedAspect} share: a Spring advisor whose pointcut
 * matches the methods carrying one annotation, and whose advice hands each call to the recorder
 * built once for that method.
 *
 * <p>The registry is not asked for when the advisor is created: Spring creates advisors while it
 * registers the bean post-processors, and a registry created that early would itself miss them
 * (and drag its configuration along). It is asked for once the context's singletons exist, so a
 * registry that cannot be had still stops the start-up, or, outside a context, at the first
 * recorded call.
 */
abstract class MeterAnnotationAdvisor<A extends Annotation> implements PointcutAdvisor, MethodInterceptor,
    SmartInitializingSingleton {

  private final Supplier<Registry> registry;
  private final Class<A> type;
  private final Logger logger;
  private final Pointcut pointcut;
  private final RecorderCache recorders;

  MeterAnnotationAdvisor(Supplier<? extends Registry> registry, Class<A> type, Logger logger) {
    Objects.requireNonNull(registry, "registry");
    this.registry = SingletonSupplier.ofNullable(registry::get);
    this.type = type;
    this.logger = logger;
    this.pointcut = new MeterAnnotationPointcut(type);
    this.recorders = new RecorderCache(this::recorder, logger);
  }

  /** Records the call; the method's own annotation wins over its class's. */
  @Override public Object invoke(MethodInvocation invocation) throws Throwable {
    return recorders.get(invocation).proceed(invocation::proceed);
  }

  @Override public Pointcut getPointcut() {
    return pointcut;
  }

  @Override public Advice getAdvice() {
    return this;
  }

  /** Resolves the registry once the context's singletons exist; a failure stops the start-up. */
  @Override public void afterSingletonsInstantiated() {
    registry();
  }

  /** A supplier of {@code registry}, checked now. */
  static Supplier<Registry> fixed(Registry registry) {
    Objects.requireNonNull(registry, "registry");
    return () -> registry;
  }

  /** The registry recorders record into; resolved on the first call. */
  final Registry registry() {
    return Objects.requireNonNull(registry.get(), "the registry supplier returned null");
  }

  /** The recorder of an annotated method; called once per method and target class. */
  abstract MethodRecorder recorder(AnnotatedMethod<A> annotated, Class<?> targetClass, Logger logger);

  private MethodRecorder recorder(Method method, Class<?> targetClass) {
    try {
      AnnotatedMethod<A> annotated = AnnotatedMethod.find(method, targetClass, type);
      if (annotated == null) {
        // the pointcut matched it for another target class; nothing applies to this one
        return MethodRecorder.disabled(targetClass, logger);
      }
      return recorder(annotated, targetClass, logger);
    } catch (RuntimeException | LinkageError e) {
      logger.warn("@{} on {}#{} is not recorded: {}", type.getSimpleName(), targetClass.getName(), method.getName(),
          e.getMessage(), e);
      return MethodRecorder.disabled(targetClass, logger);
    }
  }
}
