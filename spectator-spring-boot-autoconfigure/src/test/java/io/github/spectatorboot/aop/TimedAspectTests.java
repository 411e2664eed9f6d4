package io.github.spectatorboot.aop;

import static io.github.spectatorboot.aop.AspectsConfiguration.advance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.patterns.LongTaskTimer;
import io.github.spectatorboot.annotation.Timed;
import io.github.spectatorboot.registry.StepRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@ExtendWith(OutputCaptureExtension.class)
class TimedAspectTests {

  private static final String ORDERS = "TimedAspectTests.Orders";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withUserConfiguration(AspectsConfiguration.class, Services.class);

  @Test
  void timesASuccessfulCallFromCallToReturn() {
    runner.run(context -> {
      assertThat(context.getBean(Orders.class).place("book")).isEqualTo("placed book");

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("orders.place"))
          .containsExactly(Map.of("class", ORDERS, "method", "place", "exception", "none"));
      assertThat(meters.count("orders.place")).isEqualTo(1.0);
      assertThat(meters.totalTime("orders.place")).isCloseTo(0.042, within(1e-9));
    });
  }

  @Test
  void timesAFailedCallTaggedWithTheExceptionsSimpleNameAndRethrowsTheSameException() {
    runner.run(context -> {
      assertThatThrownBy(() -> context.getBean(Orders.class).cancel()).isSameAs(Orders.OUT_OF_STOCK);

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("orders.cancel"))
          .containsExactly(Map.of("class", ORDERS, "method", "cancel", "exception", "IllegalStateException"));
      assertThat(meters.totalTime("orders.cancel")).isCloseTo(0.005, within(1e-9));
    });
  }

  @Test
  void usesMethodTimedWhenTheNameIsBlank() {
    runner.run(context -> {
      context.getBean(Orders.class).audit();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count(Timed.DEFAULT_NAME, "method", "audit")).isEqualTo(1.0);
    });
  }

  @Test
  void timesEveryMethodOfAClassAnnotatedAtClassLevel() {
    runner.run(context -> {
      context.getBean(Catalog.class).find("sku-1");

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("catalog"))
          .containsExactly(Map.of("class", "TimedAspectTests.Catalog", "method", "find", "exception", "none"));
    });
  }

  @Test
  void aMethodsAnnotationWinsOverItsClasss() {
    runner.run(context -> {
      context.getBean(Catalog.class).refresh();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("catalog.refresh", "method", "refresh")).isEqualTo(1.0);
      assertThat(meters.count("catalog")).isZero();
    });
  }

  @Test
  void addsTheExtraTagsToTheClassMethodAndExceptionTags() {
    runner.run(context -> {
      context.getBean(Orders.class).tagged();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("orders.tagged")).containsExactly(Map.of(
          "class", ORDERS, "method", "tagged", "exception", "none", "region", "east", "tier", "gold"));
    });
  }

  @Test
  void recordsAPercentileTimerWhoseBucketCountersCountEveryCall() {
    runner.run(context -> {
      Orders orders = context.getBean(Orders.class);
      orders.withPercentiles(20);
      orders.withPercentiles(20);
      orders.withPercentiles(900);

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("orders.percentiles")).isEqualTo(3.0);
      assertThat(meters.delta("orders.percentiles", "percentile", "exception", "none")).isEqualTo(3.0);
      assertThat(meters.tagSets("orders.percentiles")).filteredOn(tags -> tags.containsKey("percentile")).hasSize(2);
    });
  }

  @Test
  void aLongTaskTimerCountsACallAsActiveWhileItRuns() {
    runner.run(context -> {
      LongTaskTimer export = longTaskTimer(context.getBean(Registry.class), "orders.export", "export");

      assertThat(context.getBean(Orders.class).export(export::activeTasks)).isEqualTo(1);
      assertThat(export.activeTasks()).isZero();
    });
  }

  @Test
  void aLongTaskTimerCountsAStageAsActiveUntilItCompletes() {
    runner.run(context -> {
      LongTaskTimer export = longTaskTimer(context.getBean(Registry.class), "orders.exportLater", "exportLater");
      CompletableFuture<String> done = new CompletableFuture<>();

      context.getBean(Orders.class).exportLater(done);
      assertThat(export.activeTasks()).isEqualTo(1);
      done.complete("exported");
      assertThat(export.activeTasks()).isZero();
    });
  }

  @Test
  void timesACompletionStageUntilItCompletesAndReturnsTheSameStage() {
    runner.run(context -> {
      ManualClock clock = context.getBean(ManualClock.class);
      StepRegistry registry = context.getBean(StepRegistry.class);
      CompletableFuture<String> shipped = new CompletableFuture<>();

      assertThat(context.getBean(Orders.class).ship(shipped)).isSameAs(shipped);
      advance(clock, 250);
      shipped.complete("shipped");

      PolledMeters meters = PolledMeters.poll(registry);
      assertThat(meters.count("orders.ship", "exception", "none")).isEqualTo(1.0);
      assertThat(meters.totalTime("orders.ship")).isCloseTo(0.250, within(1e-9));
    });
  }

  @Test
  void tagsAFailedStageWithTheCauseInsideTheCompletionException() {
    runner.run(context -> {
      CompletableFuture<String> shipped = new CompletableFuture<>();

      CompletionStage<String> labelled = context.getBean(Orders.class).label(shipped);
      shipped.complete("shipped");

      assertThat(labelled.toCompletableFuture()).isCompletedExceptionally();
      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("orders.label", "exception", "IllegalArgumentException")).isEqualTo(1.0);
    });
  }

  @Test
  void tagsACancelledStageAsCancelled() {
    runner.run(context -> {
      CompletableFuture<String> shipped = new CompletableFuture<>();

      context.getBean(Orders.class).ship(shipped);
      shipped.cancel(false);

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("orders.ship", "exception", "cancelled")).isEqualTo(1.0);
    });
  }

  @Test
  void timesAMonoFromSubscriptionToCompletionNotFromTheCall() {
    runner.run(context -> {
      ManualClock clock = context.getBean(ManualClock.class);

      Mono<String> quote = context.getBean(Orders.class).quote();
      advance(clock, 1_000);
      StepVerifier.create(quote).expectNext("quote").verifyComplete();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("orders.quote", "exception", "none")).isEqualTo(1.0);
      assertThat(meters.totalTime("orders.quote")).isCloseTo(0.030, within(1e-9));
    });
  }

  @Test
  void tagsAFailedMonoWithItsErrorsSimpleName() {
    runner.run(context -> {
      StepVerifier.create(context.getBean(Orders.class).unpricedQuote()).verifyErrorMessage("no price");

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("orders.unpricedQuote")).containsExactly(
          Map.of("class", ORDERS, "method", "unpricedQuote", "exception", "IllegalArgumentException"));
    });
  }

  @Test
  void timesAFluxUntilItCompletes() {
    runner.run(context -> {
      StepVerifier.create(context.getBean(Orders.class).items(Flux.range(1, 3))).expectNext(1, 2, 3).verifyComplete();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("orders.items", "exception", "none")).isEqualTo(1.0);
    });
  }

  @Test
  void tagsACancelledSubscriptionAsCancelled() {
    runner.run(context -> {
      StepVerifier.create(context.getBean(Orders.class).items(Flux.never())).thenCancel().verify();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("orders.items"))
          .containsExactly(Map.of("class", ORDERS, "method", "items", "exception", "cancelled"));
    });
  }

  @Test
  void aDownstreamTakeThatCancelsTheFluxIsRecordedOnceAsCancelled() {
    runner.run(context -> {
      StepVerifier.create(context.getBean(Orders.class).items(Flux.range(1, 10)).take(2))
          .expectNext(1, 2)
          .verifyComplete();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("orders.items")).isEqualTo(1.0);
      assertThat(meters.count("orders.items", "exception", "cancelled")).isEqualTo(1.0);
    });
  }

  @Test
  void recordsEachSubscriptionToTheReturnedPublisherOnce() {
    runner.run(context -> {
      Flux<Integer> items = context.getBean(Orders.class).items(Flux.just(7));

      StepVerifier.create(items).expectNext(7).verifyComplete();
      StepVerifier.create(items).expectNext(7).verifyComplete();

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("orders.items", "exception", "none")).isEqualTo(2.0);
    });
  }

  @Test
  void recordsAMethodThatThrowsInsteadOfReturningAPublisherAsAFailure() {
    runner.run(context -> {
      assertThatThrownBy(() -> context.getBean(Orders.class).unassembledQuote()).isSameAs(Orders.OUT_OF_STOCK);

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("orders.unassembledQuote", "exception", "IllegalStateException")).isEqualTo(1.0);
    });
  }

  @Test
  void doesNotInterceptACallFromWithinTheSameBean() {
    runner.run(context -> {
      context.getBean(Orders.class).placeTwice("pen");

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("orders.place")).isZero();
    });
  }

  @Test
  void findsTheAnnotationOnTheImplementationBehindAnInterfaceProxy() {
    runner.run(context -> {
      Greeter greeter = context.getBean("englishGreeter", Greeter.class);
      assertThat(greeter.getClass().getSimpleName()).contains("Proxy");

      assertThat(greeter.greet("Ada")).isEqualTo("Hello Ada");

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("greetings"))
          .containsExactly(Map.of("class", "TimedAspectTests.EnglishGreeter", "method", "greet", "exception", "none"));
    });
  }

  @Test
  void tagsTwoBeansImplementingOneInterfaceMethodWithTheirOwnClass() {
    runner.run(context -> {
      context.getBean("englishGreeter", Greeter.class).greet("Ada");
      context.getBean("frenchGreeter", Greeter.class).greet("Ada");
      context.getBean("frenchGreeter", Greeter.class).greet("Ada");

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("greetings", "class", "TimedAspectTests.EnglishGreeter")).isEqualTo(1.0);
      assertThat(meters.count("greetings.fr", "class", "TimedAspectTests.FrenchGreeter")).isEqualTo(2.0);
    });
  }

  @Test
  void aRegistryThatFailsDoesNotBreakTheCallAndIsLoggedOnceAtWarn(CapturedOutput output) {
    new ApplicationContextRunner()
        .withUserConfiguration(FailingRegistryConfiguration.class, Services.class)
        .run(context -> {
          Orders orders = context.getBean(Orders.class);

          assertThat(orders.place("book")).isEqualTo("placed book");
          assertThat(orders.place("pen")).isEqualTo("placed pen");
          assertThatThrownBy(orders::cancel).isSameAs(Orders.OUT_OF_STOCK);

          assertThat(output.getOut().lines()
              .filter(line -> line.contains("WARN") && line.contains("Could not record a call of")
                  && line.contains("Orders#place(String)")))
              .hasSize(1);
        });
  }

  private static LongTaskTimer longTaskTimer(Registry registry, String name, String method) {
    Id id = registry.createId(name).withTags("class", ORDERS, "method", method);
    return LongTaskTimer.get(registry, id);
  }

  @Configuration(proxyBeanMethods = false)
  static class Services {

    @Bean Orders orders(ManualClock clock) {
      return new Orders(clock);
    }

    @Bean Catalog catalog() {
      return new Catalog();
    }

    @Bean EnglishGreeter englishGreeter() {
      return new EnglishGreeter();
    }

    @Bean FrenchGreeter frenchGreeter() {
      return new FrenchGreeter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAspectJAutoProxy
  static class FailingRegistryConfiguration {

    @Bean ManualClock clock() {
      return new ManualClock();
    }

    @Bean TimedAspect timedAspect() {
      return new TimedAspect(new FailingRegistry());
    }
  }

  static class Orders {

    static final IllegalStateException OUT_OF_STOCK = new IllegalStateException("out of stock");

    private final ManualClock clock;

    Orders(ManualClock clock) {
      this.clock = clock;
    }

    @Timed("orders.place")
    public String place(String item) {
      advance(clock, 42);
      return "placed " + item;
    }

    public String placeTwice(String item) {
      place(item);
      return place(item);
    }

    @Timed("orders.cancel")
    public void cancel() {
      advance(clock, 5);
      throw OUT_OF_STOCK;
    }

    @Timed
    public void audit() {}

    @Timed(value = "orders.tagged", extraTags = {"region", "east", "tier", "gold"})
    public void tagged() {}

    @Timed(value = "orders.percentiles", percentiles = true, percentileRangeMin = "1ms", percentileRangeMax = "10s")
    public void withPercentiles(long millis) {
      advance(clock, millis);
    }

    @Timed(value = "orders.export", longTask = true)
    public int export(IntSupplier activeTasks) {
      return activeTasks.getAsInt();
    }

    @Timed(value = "orders.exportLater", longTask = true)
    public CompletableFuture<String> exportLater(CompletableFuture<String> done) {
      return done;
    }

    @Timed("orders.ship")
    public CompletableFuture<String> ship(CompletableFuture<String> shipped) {
      return shipped;
    }

    @Timed("orders.label")
    public CompletionStage<String> label(CompletableFuture<String> shipped) {
      return shipped.thenApply(s -> {
        throw new IllegalArgumentException("no address");
      });
    }

    @Timed("orders.quote")
    public Mono<String> quote() {
      return Mono.fromCallable(() -> {
        advance(clock, 30);
        return "quote";
      });
    }

    @Timed("orders.unpricedQuote")
    public Mono<String> unpricedQuote() {
      return Mono.error(new IllegalArgumentException("no price"));
    }

    @Timed("orders.unassembledQuote")
    public Mono<String> unassembledQuote() {
      throw OUT_OF_STOCK;
    }

    @Timed("orders.items")
    public Flux<Integer> items(Flux<Integer> source) {
      return source;
    }
  }

  @Timed("catalog")
  static class Catalog {

    public String find(String sku) {
      return sku;
    }

    @Timed("catalog.refresh")
    public void refresh() {}
  }

  interface Greeter {
    String greet(String name);
  }

  static class EnglishGreeter implements Greeter {

    @Timed("greetings")
    @Override public String greet(String name) {
      return "Hello " + name;
    }
  }

  static class FrenchGreeter implements Greeter {

    @Timed("greetings.fr")
    @Override public String greet(String name) {
      return "Bonjour " + name;
    }
  }
}
