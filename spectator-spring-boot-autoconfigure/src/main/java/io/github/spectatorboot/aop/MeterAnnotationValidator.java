package io.github.spectatorboot.aop;

import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks every bean's {@link Timed @Timed} and {@link Counted @Counted} annotations as the bean is
 * created, so that an annotation Atlas would reject stops the application at start rather than
 * losing data later: it throws an {@link InvalidMeterAnnotationException} naming the method, the
 * attribute and the fix. Annotations on private or static methods, which Spring AOP never
 * intercepts, are reported at WARN.
 *
 * <p>Register it from a {@code static} {@code @Bean} method so that it sees every bean. Each bean
 * class is checked once. It is {@link Ordered}, so Spring creates it with the ordered
 * post-processors, before the AOP auto-proxy creator is registered: created later, it would be the
 * first bean that creator examines and would carry its one-off scan of every bean definition for
 * advisors in the start-up steps.
 */
public class MeterAnnotationValidator implements BeanPostProcessor, Ordered {

  private static final Logger logger = LoggerFactory.getLogger(MeterAnnotationValidator.class);

  private final Set<Class<?>> checked = ConcurrentHashMap.newKeySet();

  /** Last among the ordered post-processors: it only reads the beans it is given. */
  @Override public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override public Object postProcessBeforeInitialization(Object bean, String beanName) {
    Class<?> type = ClassUtils.getUserClass(bean);
    if (checked.add(type)) {
      validate(type);
    }
    return bean;
  }

  /**
   * Checks the annotations that apply to the methods of {@code type}.
   *
   * @throws InvalidMeterAnnotationException for the first invalid one
   */
  public static void validate(Class<?> type) {
    if (!AnnotatedMethod.mayApply(type)) {
      return;
    }
    for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
      check(method, type, Timed.class, MeterSpec::timed);
      check(method, type, Counted.class, MeterSpec::counted);
    }
  }

  private static <A extends Annotation> void check(
      Method method, Class<?> type, Class<A> annotation, Function<AnnotatedMethod<A>, MeterSpec> spec) {
    AnnotatedMethod<A> annotated = AnnotatedMethod.find(method, type, annotation);
    if (annotated == null) {
      return;
    }
    int modifiers = annotated.method().getModifiers();
    boolean interceptable = !Modifier.isPrivate(modifiers) && !Modifier.isStatic(modifiers);
    if (!interceptable) {
      if (annotated.onMethod()) {
        logger.warn("@{} on {} has no effect: Spring AOP proxies do not intercept {} methods; make the method "
                + "public and call it through the bean", annotation.getSimpleName(), annotated.describe(),
            Modifier.isPrivate(modifiers) ? "private" : "static");
      }
      return;
    }
    spec.apply(annotated);
  }
}
