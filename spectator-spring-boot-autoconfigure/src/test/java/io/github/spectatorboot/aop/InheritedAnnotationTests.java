package io.github.spectatorboot.aop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import io.github.spectatorboot.registry.StepRegistry;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

/**
 * {@code @Timed} and {@code @Counted} found where Spring finds {@code @Transactional}: on an
 * interface method the bean implements and on a superclass method it overrides, through JDK
 * dynamic proxies (beans proxied by interface) and CGLIB proxies (beans proxied by class).
 */
class InheritedAnnotationTests {

  private final ApplicationContextRunner jdkProxies = new ApplicationContextRunner()
      .withUserConfiguration(AspectsConfiguration.class)
      .withBean("quoteService", QuoteService.class).withBean("pricedQuotes", PricedQuotes.class);

  private final ApplicationContextRunner cglibProxies = jdkProxies.withUserConfiguration(ClassProxies.class);

  @Test
  void anAnnotationOnAnInterfaceMethodIsRecordedThroughAJdkProxy() {
    assertInterfaceMethodIsRecorded(jdkProxies, AopUtils::isJdkDynamicProxy);
  }

  @Test
  void anAnnotationOnAnInterfaceMethodIsRecordedThroughACglibProxy() {
    assertInterfaceMethodIsRecorded(cglibProxies, AopUtils::isCglibProxy);
  }

  @Test
  void anAnnotationOnAnOverriddenSuperclassMethodIsRecordedThroughAJdkProxy() {
    assertSuperclassMethodIsRecorded(jdkProxies, AopUtils::isJdkDynamicProxy);
  }

  @Test
  void anAnnotationOnAnOverriddenSuperclassMethodIsRecordedThroughACglibProxy() {
    assertSuperclassMethodIsRecorded(cglibProxies, AopUtils::isCglibProxy);
  }

  private static void assertInterfaceMethodIsRecorded(ApplicationContextRunner runner, Predicate<Object> proxyKind) {
    runner.run(context -> {
      Quotes quotes = context.getBean("quoteService", Quotes.class);
      assertThat(quotes).matches(proxyKind);

      quotes.quote("book");

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("quotes.quote")).containsExactly(
          Map.of("class", "InheritedAnnotationTests.QuoteService", "method", "quote", "exception", "none"));
      assertThat(meters.delta("quotes.counted", "count", "result", "success")).isEqualTo(1.0);
    });
  }

  private static void assertSuperclassMethodIsRecorded(ApplicationContextRunner runner, Predicate<Object> proxyKind) {
    runner.run(context -> {
      Pricing pricing = context.getBean("pricedQuotes", Pricing.class);
      assertThat(pricing).matches(proxyKind);

      pricing.price("book");

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.tagSets("quotes.price")).containsExactly(
          Map.of("class", "InheritedAnnotationTests.PricedQuotes", "method", "price", "exception", "none"));
    });
  }

  @Test
  void theImplementationsOwnAnnotationWinsOverTheInterfaces() {
    jdkProxies.withBean("ownName", OwnName.class).run(context -> {
      context.getBean("ownName", Quotes.class).quote("book");

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.count("own.quote")).isEqualTo(1.0);
      assertThat(meters.tagSets("quotes.quote")).isEmpty();
    });
  }

  @Test
  void anAnnotationOnAnInterfaceAppliesToTheMethodsOfItsImplementations() {
    jdkProxies.withBean("stock", WarehouseStock.class).run(context -> {
      context.getBean("stock", Stock.class).reserve("book");

      PolledMeters meters = PolledMeters.poll(context.getBean(StepRegistry.class));
      assertThat(meters.delta("stock.calls", "count", "class", "InheritedAnnotationTests.WarehouseStock",
          "method", "reserve", "result", "success")).isEqualTo(1.0);
    });
  }

  @Test
  void anInvalidAnnotationOnAnInterfaceFailsTheStartNamingTheInterface() {
    new ApplicationContextRunner().withBean(MeterAnnotationValidator.class).withBean(BadStockImpl.class)
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOf(InvalidMeterAnnotationException.class)
            .hasMessageContaining("Invalid @Counted on " + BadStockImpl.class.getName() + "#reserve(String) "
                + "(annotation on interface " + BadStock.class.getName() + ")"));
  }

  @Test
  void anInvalidAnnotationOnAnInterfaceMethodFailsTheStartNamingTheImplementationAndTheInterface() {
    new ApplicationContextRunner().withBean(MeterAnnotationValidator.class).withBean(BadQuotesImpl.class)
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidMeterAnnotationException.class)
              .hasMessageContaining("Invalid @Timed on " + BadQuotesImpl.class.getName() + "#quote(String) "
                  + "(annotation on " + BadQuotes.class.getName() + "#quote(String))")
              .hasMessageContaining("the meter name \"q\" is 1 character long");
        });
  }

  @Test
  void anInvalidAnnotationOnAnOverriddenSuperclassMethodFailsTheStart() {
    new ApplicationContextRunner().withBean(MeterAnnotationValidator.class).withBean(BadPricingImpl.class)
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidMeterAnnotationException.class)
              .hasMessageContaining("Invalid @Counted on " + BadPricingImpl.class.getName() + "#price(String) "
                  + "(annotation on " + BadPricing.class.getName() + "#price(String))")
              .hasMessageContaining("extraTags");
        });
  }

  @Test
  void aClassWhoseInterfaceMethodIsAnnotatedIsMatchedMethodByMethod() throws NoSuchMethodException {
    assertThat(AnnotatedMethod.mayApply(QuoteService.class)).isTrue();
    assertThat(AnnotatedMethod.find(Quotes.class.getMethod("quote", String.class), QuoteService.class, Timed.class))
        .isNotNull()
        .satisfies(found -> assertThat(found.method().getDeclaringClass()).isEqualTo(QuoteService.class));
    assertThat(AnnotatedMethod.find(QuoteService.class.getMethod("unannotated"), QuoteService.class, Timed.class))
        .isNull();
  }

  interface Quotes {
    @Timed("quotes.quote")
    @Counted("quotes.counted")
    String quote(String item);
  }

  static class QuoteService implements Quotes {
    @Override public String quote(String item) {
      return "quote for " + item;
    }

    public void unannotated() {}
  }

  static class OwnName implements Quotes {
    @Timed("own.quote")
    @Override public String quote(String item) {
      return "own quote for " + item;
    }
  }

  interface Pricing {
    String price(String item);
  }

  abstract static class BasePricing implements Pricing {
    @Timed("quotes.price")
    @Override public String price(String item) {
      return "1.00";
    }
  }

  static class PricedQuotes extends BasePricing {
    @Override public String price(String item) {
      return "2.00";
    }
  }

  interface BadQuotes {
    @Timed("q")
    String quote(String item);
  }

  static class BadQuotesImpl implements BadQuotes {
    @Override public String quote(String item) {
      return item;
    }
  }

  abstract static class BadPricing {
    @Counted(value = "prices", extraTags = "region")
    public abstract String price(String item);
  }

  static class BadPricingImpl extends BadPricing {
    @Override public String price(String item) {
      return item;
    }
  }

  @Counted("stock.calls")
  interface Stock {
    void reserve(String item);
  }

  static class WarehouseStock implements Stock {
    @Override public void reserve(String item) {}
  }

  @Counted(value = "stock.calls", extraTags = {"nf.color", "red"})
  interface BadStock {
    void reserve(String item);
  }

  static class BadStockImpl implements BadStock {
    @Override public void reserve(String item) {}
  }

  /** Forces class-based (CGLIB) proxies, as Spring Boot does by default. */
  @Configuration(proxyBeanMethods = false)
  @EnableAspectJAutoProxy(proxyTargetClass = true)
  static class ClassProxies {}
}
