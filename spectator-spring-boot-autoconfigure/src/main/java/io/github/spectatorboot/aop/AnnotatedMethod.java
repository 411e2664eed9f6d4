package io.github.spectatorboot.aop;

import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.StringJoiner;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

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

  /** The annotations the aspects read. */
  static final List<Class<? extends Annotation>> METER_ANNOTATIONS = List.of(Timed.class, Counted.class);

  /**
   * Whether {@code type} or a class or interface it extends carries a meter annotation, on itself
   * or on a method it declares; computed once per class and shared by the aspects' pointcuts and
   * the start-up validator. Most bean classes carry none, and this spares them the look at each
   * of their methods; {@code true} only means {@link #find} must look.
   */
  static boolean mayApply(Class<?> type) {
    return HIERARCHY_CARRIES.get(type);
  }

  private static final ClassValue<Boolean> HIERARCHY_CARRIES = new ClassValue<>() {
    @Override protected Boolean computeValue(Class<?> type) {
      if (!AnnotationUtils.isCandidateClass(type, METER_ANNOTATIONS)) {
        return false; // java.* and other classes that cannot carry them
      }
      if (carries(type)) {
        return true;
      }
      Class<?> superclass = type.getSuperclass();
      if (superclass != null && get(superclass)) {
        return true;
      }
      for (Class<?> implemented : type.getInterfaces()) {
        if (get(implemented)) {
          return true;
        }
      }
      return false;
    }
  };

  private static boolean carries(Class<?> type) {
    try {
      for (Class<? extends Annotation> annotation : METER_ANNOTATIONS) {
        if (type.getDeclaredAnnotation(annotation) != null) {
          return true;
        }
      }
      for (Method method : ReflectionUtils.getDeclaredMethods(type)) {
        for (Class<? extends Annotation> annotation : METER_ANNOTATIONS) {
          if (method.getDeclaredAnnotation(annotation) != null) {
            return true;
          }
        }
      }
      return false;
    } catch (IllegalStateException | LinkageError e) {
      return true; // its methods cannot be listed here: leave the answer to find()
    }
  }

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
