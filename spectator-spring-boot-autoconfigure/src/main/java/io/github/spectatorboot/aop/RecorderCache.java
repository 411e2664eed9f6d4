package io.github.spectatorboot.aop;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.springframework.core.MethodClassKey;

/**
 * The recorder of each annotated method, built once from its annotation so that a call reads no
 * annotation and builds no id.
 *
 * <p>Keyed by {@link Method}, with the target class checked: the same {@code Method} reaches the
 * aspect for different beans when it is an interface method (JDK proxies) or inherited, and each
 * bean has its own annotation and {@code class} tag. The first class seen for a method is served
 * from the {@code Method} map without allocating; others from a map keyed by method and class.
 */
final class RecorderCache {

  private final Map<Method, MethodRecorder> byMethod = new ConcurrentHashMap<>();
  private final Map<MethodClassKey, MethodRecorder> byMethodAndClass = new ConcurrentHashMap<>();
  private final BiFunction<Method, Class<?>, MethodRecorder> factory;
  private final Logger logger;
  private final AtomicBoolean warned = new AtomicBoolean();

  /**
   * @param factory builds the recorder of a method called on a target class; it must not throw
   * @param logger the aspect's logger
   */
  RecorderCache(BiFunction<Method, Class<?>, MethodRecorder> factory, Logger logger) {
    this.factory = factory;
    this.logger = logger;
  }

  /** The recorder for the invocation's method and target; a disabled one if they cannot be read. */
  MethodRecorder get(MethodInvocation invocation) {
    try {
      Method method = invocation.getMethod();
      Object target = invocation.getThis();
      Class<?> targetClass = target != null ? target.getClass() : method.getDeclaringClass();
      return get(method, targetClass);
    } catch (RuntimeException | LinkageError e) {
      if (warned.compareAndSet(false, true)) {
        logger.warn("Could not read the called method; the call is not recorded", e);
      }
      return MethodRecorder.disabled(Object.class, logger);
    }
  }

  MethodRecorder get(Method method, Class<?> targetClass) {
    MethodRecorder recorder = byMethod.get(method);
    if (recorder == null) {
      recorder = byMethod.computeIfAbsent(method, m -> factory.apply(m, targetClass));
    }
    if (recorder.targetClass == targetClass) {
      return recorder;
    }
    return byMethodAndClass.computeIfAbsent(new MethodClassKey(method, targetClass),
        k -> factory.apply(method, targetClass));
  }
}
