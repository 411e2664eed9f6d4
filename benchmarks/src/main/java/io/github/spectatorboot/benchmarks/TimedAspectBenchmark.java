package io.github.spectatorboot.benchmarks;

import io.github.spectatorboot.registry.StepRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.springframework.aop.Advisor;
import org.springframework.aop.aspectj.annotation.AspectJProxyFactory;

/**
 * Cost of one call of a trivial method through our {@code @Timed} aspect on a
 * {@link StepRegistry}, against the same call through Micrometer's {@code TimedAspect} on a
 * {@code SimpleMeterRegistry}. Both proxies are class-based ones built by Spring's
 * {@link AspectJProxyFactory}, as Spring Boot builds them; {@code plainCall} is the method without
 * a proxy, {@code proxyWithoutAspect} the proxy alone, and {@code noopAroundAspect} the proxy with
 * an {@code @Around} advice that only proceeds: Spring AOP's own cost per advised call (join point,
 * invocation clone, boxing), which both aspects pay. An aspect's own cost is its difference to
 * {@code noopAroundAspect}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TimedAspectBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class TimedAspectBenchmark {

  private long input = 42L;
  private StepRegistry spectatorRegistry;
  private SimpleMeterRegistry micrometerRegistry;
  private Pricing plain;
  private Pricing proxied;
  private Pricing noopAdvised;
  private Pricing spectator;
  private Pricing micrometer;

  @Setup
  public void setUp() {
    plain = new Pricing();
    proxied = proxy(new Pricing(), null);
    noopAdvised = proxy(new SpectatorTimedPricing(), new NoopAspect());
    spectatorRegistry = new StepRegistry();
    micrometerRegistry = new SimpleMeterRegistry();
    spectator = proxy(new SpectatorTimedPricing(), new io.github.spectatorboot.aop.TimedAspect(spectatorRegistry));
    micrometer = proxy(new MicrometerTimedPricing(), new io.micrometer.core.aop.TimedAspect(micrometerRegistry));
  }

  /** Fails the run if the aspect under test recorded nothing: the figures would then measure a bare proxy. */
  @TearDown
  public void checkTheAspectRecorded(BenchmarkParams params) {
    String benchmark = params.getBenchmark();
    boolean recorded;
    if (benchmark.endsWith("spectatorTimed")) {
      recorded = spectatorRegistry.peek().measurements().stream()
          .anyMatch(m -> m.id().name().equals("pricing") && m.statistic().equals("count") && m.delta() > 0);
    } else if (benchmark.endsWith("micrometerTimed")) {
      recorded = micrometerRegistry.find("pricing").timers().stream().anyMatch(t -> t.count() > 0);
    } else {
      recorded = true;
    }
    if (!recorded) {
      throw new IllegalStateException(benchmark + ": the aspect recorded nothing");
    }
  }

  @Benchmark
  public long plainCall() {
    return plain.price(input);
  }

  @Benchmark
  public long proxyWithoutAspect() {
    return proxied.price(input);
  }

  @Benchmark
  public long noopAroundAspect() {
    return noopAdvised.price(input);
  }

  @Benchmark
  public long spectatorTimed() {
    return spectator.price(input);
  }

  @Benchmark
  public long micrometerTimed() {
    return micrometer.price(input);
  }

  private static Pricing proxy(Pricing target, Object aspect) {
    AspectJProxyFactory factory = new AspectJProxyFactory(target);
    factory.setProxyTargetClass(true);
    if (aspect instanceof Advisor advisor) {
      factory.addAdvisor(advisor); // ours is a Spring advisor, Micrometer's an AspectJ aspect
    } else if (aspect != null) {
      factory.addAspect(aspect);
    }
    return factory.getProxy();
  }

  /** An around advice on the same pointcut as our aspect that only proceeds. */
  @Aspect
  public static class NoopAspect {
    @Around("@annotation(io.github.spectatorboot.annotation.Timed)")
    public Object proceed(ProceedingJoinPoint pjp) throws Throwable {
      return pjp.proceed();
    }
  }

  /** The measured work: small enough that the proxy and the aspect dominate. */
  public static class Pricing {
    public long price(long base) {
      return base * 31 + 7;
    }
  }

  public static class SpectatorTimedPricing extends Pricing {
    @io.github.spectatorboot.annotation.Timed("pricing")
    @Override public long price(long base) {
      return super.price(base);
    }
  }

  public static class MicrometerTimedPricing extends Pricing {
    @io.micrometer.core.annotation.Timed("pricing")
    @Override public long price(long base) {
      return super.price(base);
    }
  }
}
