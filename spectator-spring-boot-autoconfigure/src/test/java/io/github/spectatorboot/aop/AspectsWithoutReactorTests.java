package io.github.spectatorboot.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AspectsWithoutReactorTests {

  @Test
  void theAspectsRecordWhenReactorIsNotOnTheClassPath() throws Exception {
    try (URLClassLoader withoutReactor = new URLClassLoader(classPathWithoutReactor(), ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> Class.forName("reactor.core.publisher.Mono", false, withoutReactor))
          .isInstanceOf(ClassNotFoundException.class);

      Object seen = withoutReactor.loadClass(ReactorFreeCalls.class.getName()).getMethod("run").invoke(null);

      assertThat(seen).isEqualTo("shop.buy=1 shop.later=1 shop.buys");
    }
  }

  /** The jars and directories the aspects need, found through one class of each. */
  private static URL[] classPathWithoutReactor() {
    return Stream.of(
            ReactorFreeCalls.class,                                        // test classes
            TimedAspect.class,                                             // main classes
            com.netflix.spectator.api.Registry.class,                      // spectator-api
            org.springframework.aop.framework.ProxyFactory.class,           // spring-aop
            org.springframework.beans.BeanUtils.class,                     // spring-beans
            org.springframework.util.ClassUtils.class,                     // spring-core
            org.apache.commons.logging.LogFactory.class,                   // commons-logging
            org.aopalliance.intercept.MethodInterceptor.class,             // aopalliance (in spring-aop)
            org.slf4j.LoggerFactory.class,                                 // slf4j-api
            ch.qos.logback.classic.Logger.class,                           // logback-classic
            ch.qos.logback.core.Appender.class)                            // logback-core
        .map(c -> c.getProtectionDomain().getCodeSource().getLocation())
        .distinct()
        .toArray(URL[]::new);
  }
}
