package io.github.spectatorboot.aop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;

class AnnotatedMethodTests {

  @Test
  void aClassWhoseHierarchyCarriesNoMeterAnnotationIsTurnedAwayWithoutALookAtItsMethods() {
    assertThat(AnnotatedMethod.mayApply(Plain.class)).isFalse();
    assertThat(AnnotatedMethod.mayApply(ArrayList.class)).isFalse();
    assertThat(AnnotatedMethod.mayApply(Object.class)).isFalse();
  }

  @Test
  void anAnnotationOnTheClassOrOneOfItsMethodsIsSeen() {
    assertThat(AnnotatedMethod.mayApply(TimedAtClassLevel.class)).isTrue();
    assertThat(AnnotatedMethod.mayApply(CountedMethod.class)).isTrue();
  }

  @Test
  void anAnnotationOnASuperclassOrAnInterfaceOrTheirMethodsIsSeen() {
    assertThat(AnnotatedMethod.mayApply(InheritsAnnotatedMethod.class)).isTrue();
    assertThat(AnnotatedMethod.mayApply(InheritsClassAnnotation.class)).isTrue();
    assertThat(AnnotatedMethod.mayApply(ImplementsTimedDefault.class)).isTrue();
  }

  @Test
  void aProxyClassOfAnAnnotatedBeanIsSeenThroughItsSuperclass() {
    ProxyFactory factory = new ProxyFactory(new CountedMethod());
    factory.setProxyTargetClass(true);
    assertThat(AnnotatedMethod.mayApply(factory.getProxy().getClass())).isTrue();
  }

  @Test
  void whatTheCheckLetsThroughIsStillMatchedMethodByMethod() throws NoSuchMethodException {
    assertThat(AnnotatedMethod.find(CountedMethod.class.getMethod("count"), CountedMethod.class, Counted.class))
        .isNotNull();
    assertThat(AnnotatedMethod.find(CountedMethod.class.getMethod("other"), CountedMethod.class, Counted.class))
        .isNull();
  }

  static class Plain {
    public void run() {}
  }

  @Timed("at.class")
  static class TimedAtClassLevel {
    public void run() {}
  }

  static class CountedMethod {
    @Counted("counted")
    public void count() {}

    public void other() {}
  }

  static class InheritsAnnotatedMethod extends CountedMethod {}

  static class InheritsClassAnnotation extends TimedAtClassLevel {}

  interface TimedDefault {
    @Timed("default")
    default void run() {}
  }

  static class ImplementsTimedDefault implements TimedDefault {}
}
