package io.github.spectatorboot.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.registry.StepRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class CountedAspectTests {

  private static final String PAYMENTS = "CountedAspectTests.Payments";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withUserConfiguration(AspectsConfiguration.class, Services.class);

  @Test
  void countsASuccessfulCallUnderMethodCountedWhenTheNameIsBlank() {
    runner.run(context -> {
      context.getBean(Payments.class).authorize();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets(Counted.DEFAULT_NAME)).containsExactly(
          Map.of("class", PAYMENTS, "method", "authorize", "result", "success", "exception", "none"));
      assertThat(meters.count(Counted.DEFAULT_NAME)).isEqualTo(1.0);
    });
  }

  @Test
  void countsAFailedCallWithItsExceptionAndRethrowsTheSameException() {
    runner.run(context -> {
      assertThatThrownBy(() -> context.getBean(Payments.class).refund()).isSameAs(Payments.DECLINED);

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("payments.refund")).containsExactly(Map.of(
          "class", PAYMENTS, "method", "refund", "result", "failure", "exception", "IllegalStateException"));
    });
  }

  @Test
  void countsOnlyFailuresWhenRecordFailuresOnlyIsSet() {
    runner.run(context -> {
      Payments payments = context.getBean(Payments.class);
      payments.charge(false);
      payments.charge(false);
      assertThatThrownBy(() -> payments.charge(true)).isSameAs(Payments.DECLINED);

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("payments.charge")).isEqualTo(1.0);
      assertThat(meters.count("payments.charge", "result", "failure")).isEqualTo(1.0);
    });
  }

  @Test
  void addsTheExtraTags() {
    runner.run(context -> {
      context.getBean(Payments.class).settle();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("payments.settle")).containsExactly(Map.of(
          "class", PAYMENTS, "method", "settle", "result", "success", "exception", "none", "provider", "acme"));
    });
  }

  @Test
  void countsAStageWhenItCompletesNotWhenTheMethodReturns() {
    runner.run(context -> {
      StepRegistry registry = context.getBean(StepRegistry.class);
      CompletableFuture<String> cleared = new CompletableFuture<>();

      context.getBean(Payments.class).clear(cleared);
      assertThat(PolledMeters.poll(registry).count("payments.clear")).isZero();
      cleared.completeExceptionally(new IllegalArgumentException("unknown account"));

      PolledMeters meters = PolledMeters.poll(registry);
      assertThat(meters.count("payments.clear", "result", "failure", "exception", "IllegalArgumentException"))
          .isEqualTo(1.0);
    });
  }

  @Test
  void countsEachSubscriptionToAMono() {
    runner.run(context -> {
      Mono<String> receipt = context.getBean(Payments.class).receipt();

      StepVerifier.create(receipt).expectNext("receipt").verifyComplete();
      StepVerifier.create(receipt).expectNext("receipt").verifyComplete();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("payments.receipt", "result", "success")).isEqualTo(2.0);
    });
  }

  @Test
  void countsAFailedFluxAsAFailureAndACancelledOneAsCancelled() {
    runner.run(context -> {
      Payments payments = context.getBean(Payments.class);

      StepVerifier.create(payments.history(Flux.error(new IllegalStateException("offline"))))
          .verifyErrorMessage("offline");
      StepVerifier.create(payments.history(Flux.never())).thenCancel().verify();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("payments.history", "result", "failure", "exception", "IllegalStateException"))
          .isEqualTo(1.0);
      assertThat(meters.count("payments.history", "result", "cancelled", "exception", "cancelled")).isEqualTo(1.0);
    });
  }

  @Test
  void countsEveryMethodOfAClassAnnotatedAtClassLevelAndAMethodsAnnotationWins() {
    runner.run(context -> {
      Ledger ledger = context.getBean(Ledger.class);
      ledger.post();
      ledger.close();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("ledger", "method", "post")).isEqualTo(1.0);
      assertThat(meters.count("ledger.close", "method", "close")).isEqualTo(1.0);
      assertThat(meters.count("ledger", "method", "close")).isZero();
    });
  }

  @Test
  void aRegistryThatFailsDoesNotBreakTheCall() {
    new ApplicationContextRunner()
        .withUserConfiguration(FailingRegistryConfiguration.class, Services.class)
        .run(context -> {
          Payments payments = context.getBean(Payments.class);

          assertThat(payments.authorize()).isEqualTo("authorized");
          assertThatThrownBy(payments::refund).isSameAs(Payments.DECLINED);
          StepVerifier.create(payments.receipt()).expectNext("receipt").verifyComplete();
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class Services {

    @Bean Payments payments() {
      return new Payments();
    }

    @Bean Ledger ledger() {
      return new Ledger();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAspectJAutoProxy
  static class FailingRegistryConfiguration {

    @Bean CountedAspect countedAspect() {
      return new CountedAspect(new FailingRegistry());
    }
  }

  static class Payments {

    static final IllegalStateException DECLINED = new IllegalStateException("declined");

    @Counted
    public String authorize() {
      return "authorized";
    }

    @Counted("payments.refund")
    public void refund() {
      throw DECLINED;
    }

    @Counted(value = "payments.charge", recordFailuresOnly = true)
    public void charge(boolean decline) {
      if (decline) {
        throw DECLINED;
      }
    }

    @Counted(value = "payments.settle", extraTags = {"provider", "acme"})
    public void settle() {}

    @Counted("payments.clear")
    public CompletableFuture<String> clear(CompletableFuture<String> cleared) {
      return cleared;
    }

    @Counted("payments.receipt")
    public Mono<String> receipt() {
      return Mono.just("receipt");
    }

    @Counted("payments.history")
    public Flux<String> history(Flux<String> source) {
      return source;
    }
  }

  @Counted("ledger")
  static class Ledger {

    public void post() {}

    @Counted("ledger.close")
    public void close() {}
  }
}
