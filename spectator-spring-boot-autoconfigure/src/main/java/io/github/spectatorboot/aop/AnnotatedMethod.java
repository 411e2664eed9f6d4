package io.github.spectatorboot.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.StringJoiner;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;

/**
 * A bean method and the meter annotation that applies to it: the method's own, else the bean
 * class's (inherited ones included), else that of the class declaring the method.
 *
 * @param beanClass the user class of the bean (not a CGLIB subclass)
 * @param method the method as declared on or inherited by {@code beanClass}, bridges resolved
 * @param annotation the annotation that applies
 * @param annotatedClass the class carrying the annotation, or {@code null} when it is the method's own
 */
record AnnotatedMethod<A extends Annotation>(Class<?> beanClass, Method method, A annotation, Class<?> annotatedClass) {

  /**
   * The annotation of {@code type} that applies when {@code invoked} is called on an instance of
   * {@code targetClass}, or {@code null} when there is none.
   *
   * @param invoked the method the proxy was called with; an interface method for JDK proxies
   * @param targetClass the class of the proxied object
   */
  static <A extends Annotation> AnnotatedMethod<A> find(Method invoked, Class<?> targetClass, Class<A> type) {
    Class<?> beanClass = ClassUtils.getUserClass(targetClass);
    Method method = AopUtils.getMostSpecificMethod(invoked, beanClass);
    A own = method.getAnnotation(type);
    if (own != null) {
      return new AnnotatedMethod<>(beanClass, method, own, null);
    }
    Class<?> annotated = declaringAnnotation(beanClass, type);
    if (annotated == null) {
      annotated = declaringAnnotation(method.getDeclaringClass(), type);
    }
    return annotated == null ? null : new AnnotatedMethod<>(beanClass, method, annotated.getAnnotation(type), annotated);
  }

  /** {@code type} itself or its nearest superclass that declares the annotation, as {@code @Inherited} finds it. */
  private static Class<?> declaringAnnotation(Class<?> type, Class<? extends Annotation> annotation) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getDeclaredAnnotation(annotation) != null) {
        return c;
      }
    }
    return null;
  }

  /** Whether the annotation is the method's own rather than its class's. */
  boolean onMethod() {
    return annotatedClass == null;
  }

  /** Value of the {@code class} tag: the class name without its package, nested classes joined by a dot. */
  String classTag() {
    return ClassUtils.getShortName(beanClass);
  }

  /** Value of the {@code method} tag. */
  String methodTag() {
    return method.getName();
  }

  /** The method for messages: {@code com.example.Orders#place(Order, int)}. */
  String describe() {
    StringJoiner parameters = new StringJoiner(", ", "(", ")");
    for (Class<?> p : method.getParameterTypes()) {
      parameters.add(p.getSimpleName());
    }
    return beanClass.getName() + "#" + method.getName() + parameters;
  }
}
