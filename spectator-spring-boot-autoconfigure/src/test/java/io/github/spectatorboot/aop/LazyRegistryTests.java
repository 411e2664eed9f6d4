package io.github.spectatorboot.aop;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.DefaultRegistry;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.annotation.Counted;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.ProxyFactory;

class LazyRegistryTests {

  private final Registry registry = new DefaultRegistry(new ManualClock());
  private final AtomicInteger asked = new AtomicInteger();

  @Test
  void anAspectAsksItsRegistrySupplierOnlyAtTheFirstRecordedCallAndOnlyOnce() {
    CountedAspect aspect = new CountedAspect(() -> {
      asked.incrementAndGet();
      return registry;
    });
    Door door = proxy(new Door(), aspect);
    assertThat(asked).hasValue(0);

    door.open();
    door.open();

    assertThat(asked).hasValue(1);
    assertThat(registry.counter("door.opens", "class", "LazyRegistryTests.Door", "method", "open",
        "result", "success", "exception", "none").count()).isEqualTo(2);
  }

  @Test
  void theContextResolvesTheRegistryOnceItsSingletonsExist() {
    TimedAspect aspect = new TimedAspect(() -> {
      asked.incrementAndGet();
      return registry;
    });

    aspect.afterSingletonsInstantiated();

    assertThat(asked).hasValue(1);
  }

  @Test
  void aSupplierWithoutARegistryCostsTheRecordingNotTheCall() {
    Door door = proxy(new Door(), new CountedAspect(() -> null));

    assertThat(door.open()).isEqualTo("open");
    assertThat(registry.counters()).isEmpty();
  }

  private static Door proxy(Door target, Advisor advisor) {
    ProxyFactory factory = new ProxyFactory(target);
    factory.setProxyTargetClass(true);
    factory.addAdvisor(advisor);
    return (Door) factory.getProxy();
  }

  static class Door {
    @Counted("door.opens")
    public String open() {
      return "open";
    }
  }
}
