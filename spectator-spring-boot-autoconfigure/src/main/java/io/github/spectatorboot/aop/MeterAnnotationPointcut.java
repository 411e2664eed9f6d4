package io.github.spectatorboot.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Matches the methods an aspect records: those {@link AnnotatedMethod#find} finds an annotation
 * for (on the method, or on its class), except the methods of {@code Object} and those Spring AOP
 * cannot intercept. Classes whose hierarchy carries no meter annotation at all are turned away
 * by the class filter, before any of their methods is looked at.
 *
 * <p>A plain Spring pointcut rather than an AspectJ expression: Spring caches its result per
 * method and class, and it needs no AspectJ shadow matching for every method of every bean, which
 * made the application's start-up several hundred milliseconds slower.
 */
final class MeterAnnotationPointcut extends StaticMethodMatcherPointcut {

  private final Class<? extends Annotation> type;

  MeterAnnotationPointcut(Class<? extends Annotation> type) {
    this.type = type;
    setClassFilter(AnnotatedMethod::mayApply);
  }

  @Override public boolean matches(Method method, Class<?> targetClass) {
    if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())) {
      return false;
    }
    return AnnotatedMethod.find(method, targetClass, type) != null;
  }

}
