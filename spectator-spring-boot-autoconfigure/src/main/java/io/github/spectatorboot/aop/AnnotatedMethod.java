package io.github.spectatorboot.aop;

import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.List;
import java.util.StringJoiner;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.annotation.RepeatableContainers;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * A bean method and the meter annotation that applies to it, found as Spring finds
 * {@code @Transactional}: the method's own, else that of a method it overrides or implements (in
 * a superclass or an interface), else the bean class's (its superclasses' and interfaces'
 * included), else that of the class declaring the method.
 *
 * @param beanClass the user class of the bean (not a CGLIB subclass)
 * @param method the method as declared on or inherited by {@code beanClass}, bridges resolved
 * @param annotation the annotation that applies
 * @param source where the annotation sits: {@code method}, a method it overrides or implements, or a class or interface
 */
record AnnotatedMethod<A extends Annotation>(Class<?> beanClass, Method method, A annotation, AnnotatedElement source) {

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
   * {@code targetClass}, or {@code null} when there is none. Only annotations declared as such
   * count, not meta-annotations.
   *
   * @param invoked the method the proxy was called with; an interface method for JDK proxies
   * @param targetClass the class of the proxied object
   */
  static <A extends Annotation> AnnotatedMethod<A> find(Method invoked, Class<?> targetClass, Class<A> type) {
    Class<?> beanClass = ClassUtils.getUserClass(targetClass);
    Method method = AopUtils.getMostSpecificMethod(invoked, beanClass);
    MergedAnnotation<A> found = declared(method, type);
    if (!found.isPresent()) {
      found = declared(beanClass, type);
    }
    if (!found.isPresent()) {
      found = declared(method.getDeclaringClass(), type);
    }
    if (!found.isPresent()) {
      return null;
    }
    return new AnnotatedMethod<>(beanClass, method, found.synthesize(), (AnnotatedElement) found.getSource());
  }

  /** The nearest annotation declared on {@code element} or on what it overrides, implements or extends. */
  private static <A extends Annotation> MergedAnnotation<A> declared(AnnotatedElement element, Class<A> type) {
    return MergedAnnotations.from(element, SearchStrategy.TYPE_HIERARCHY, RepeatableContainers.none())
        .get(type, MergedAnnotation::isDirectlyPresent);
  }

  /** Whether the annotation sits on the method or a method it overrides, rather than on a class. */
  boolean onMethod() {
    return source instanceof Method;
  }

  /**
   * Where the annotation sits when that is not {@code method} itself, for messages:
   * {@code " (annotation on com.example.Orders#place(Order))"} or
   * {@code " (annotation on class com.example.Orders)"}; empty when it is the method's own.
   */
  String describeSource() {
    if (source instanceof Method m) {
      return m.equals(method) ? "" : " (annotation on " + describe(m.getDeclaringClass(), m) + ")";
    }
    Class<?> c = (Class<?>) source;
    return " (annotation on " + (c.isInterface() ? "interface " : "class ") + c.getName() + ")";
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
    return describe(beanClass, method);
  }

  private static String describe(Class<?> type, Method method) {
    StringJoiner parameters = new StringJoiner(", ", "(", ")");
    for (Class<?> p : method.getParameterTypes()) {
      parameters.add(p.getSimpleName());
    }
    return type.getName() + "#" + method.getName() + parameters;
  }
}
