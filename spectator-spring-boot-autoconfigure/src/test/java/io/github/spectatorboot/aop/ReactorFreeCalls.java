package io.github.spectatorboot.aop;

import com.netflix.spectator.api.DefaultRegistry;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Meter;
import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.springframework.aop.framework.ProxyFactory;

/**
 * Calls through both aspects without touching Reactor; loaded by {@link AspectsWithoutReactorTests}
 * in a class loader that has no Reactor, so it must never name a Reactor type.
 */
public final class ReactorFreeCalls {

  private ReactorFreeCalls() {}

  /** Calls a timed and counted method and a timed stage; returns the meter names and counts seen. */
  public static String run() {
    Registry registry = new DefaultRegistry(new ManualClock());
    ProxyFactory factory = new ProxyFactory(new Shop());
    factory.setProxyTargetClass(true);
    factory.addAdvisor(new TimedAspect(registry));
    factory.addAdvisor(new CountedAspect(registry));
    Shop shop = (Shop) factory.getProxy();

    shop.buy();
    shop.later().toCompletableFuture().join();

    StringBuilder seen = new StringBuilder();
    registry.timers().sorted((a, b) -> a.id().name().compareTo(b.id().name()))
        .forEach(t -> seen.append(t.id().name()).append('=').append(t.count()).append(' '));
    registry.counters().map(Meter::id).forEach(id -> seen.append(id.name()).append(' '));
    return seen.toString().trim();
  }

  /** A bean with annotated methods, none of which returns a Reactor type. */
  public static class Shop {

    @Timed("shop.buy")
    @Counted("shop.buys")
    public String buy() {
      return "bought";
    }

    @Timed("shop.later")
    public CompletionStage<String> later() {
      return CompletableFuture.completedFuture("later");
    }
  }
}
