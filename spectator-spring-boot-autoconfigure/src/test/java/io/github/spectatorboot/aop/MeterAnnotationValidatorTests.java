package io.github.spectatorboot.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class MeterAnnotationValidatorTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withBean(MeterAnnotationValidator.class);

  @Test
  void anOddNumberOfExtraTagsFailsTheStartWithAMessageNamingTheMethodTheAttributeAndTheFix() {
    runner.withBean(OddTags.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(InvalidMeterAnnotationException.class)
          .hasMessage("Invalid @Timed on " + OddTags.class.getName() + "#place(String): extraTags has 3 entries, "
              + "but it must hold key, value pairs. Fix: give the last key \"tier\" a value, or remove it.")
          .extracting("attribute").isEqualTo("extraTags");
    });
  }

  @Test
  void aOneCharacterNameFailsTheStart() {
    assertInvalid(ShortName.class, "value").hasMessageContaining("#place(): the meter name \"p\" is 1 character long")
        .hasMessageContaining("Fix: choose a name of 2 to 255 characters");
  }

  @Test
  void aTagKeyTheAspectSetsItselfFailsTheStart() {
    assertInvalid(ReservedKey.class, "extraTags").hasMessageContaining("the tag key \"method\" is reserved");
  }

  @Test
  void anAtlasKeyFailsTheStart() {
    assertInvalid(AtlasKey.class, "extraTags").hasMessageContaining("the tag key \"atlas.dstype\" is reserved");
  }

  @Test
  void aTagValueLongerThanAtlasAcceptsFailsTheStart() {
    assertInvalid(LongValue.class, "extraTags")
        .hasMessageContaining("the value of tag \"region\" is 121 characters long, but Atlas accepts 1 to 120");
  }

  @Test
  void aRepeatedTagKeyFailsTheStart() {
    assertInvalid(RepeatedKey.class, "extraTags").hasMessageContaining("has the key \"region\" twice");
  }

  @Test
  void moreTagsThanAtlasAcceptsFailsTheStart() {
    assertInvalid(TooManyTags.class, "extraTags")
        .hasMessageContaining("the meter would carry 21 tags, but Atlas accepts at most 20")
        .hasMessageContaining("Fix: remove 1 of the extra tags");
  }

  @Test
  void aPercentileRangeThatIsNotADurationFailsTheStart() {
    assertInvalid(UnparsableRange.class, "percentileRangeMax")
        .hasMessageContaining("percentileRangeMax is \"ten seconds\", which is not a non-negative duration");
  }

  @Test
  void aPercentileRangeWithoutPercentilesFailsTheStart() {
    assertInvalid(RangeWithoutPercentiles.class, "percentileRangeMin")
        .hasMessageContaining("a percentile range is set but percentiles is false");
  }

  @Test
  void anEmptyPercentileRangeFailsTheStart() {
    assertInvalid(EmptyRange.class, "percentileRangeMax")
        .hasMessageContaining("percentileRangeMax (1s) is not greater than percentileRangeMin (1s)");
  }

  @Test
  void aLongTaskTimerWithPercentilesFailsTheStart() {
    assertInvalid(LongTaskWithPercentiles.class, "percentiles")
        .hasMessageContaining("a long task timer has no percentiles");
  }

  @Test
  void anInvalidCountedFailsTheStart() {
    assertInvalid(InvalidCounted.class, "extraTags").hasMessageStartingWith("Invalid @Counted on ");
  }

  @Test
  void aClassLevelAnnotationIsCheckedForTheClassesMethodsAndTheMessageNamesBoth() {
    assertInvalid(InvalidClassLevel.class, "extraTags")
        .hasMessageContaining(InvalidClassLevel.class.getName() + "#list() (annotation on class "
            + InvalidClassLevel.class.getName() + ")");
  }

  @Test
  void validAnnotationsLetTheApplicationStart() {
    runner.withBean(Valid.class).run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void anAnnotationOnAPrivateMethodIsReportedAtWarnWithoutFailingTheStart(CapturedOutput output) {
    runner.withBean(PrivateMethod.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(output).contains("@Timed on " + PrivateMethod.class.getName()
          + "#hidden() has no effect: Spring AOP proxies do not intercept private methods");
    });
  }

  @Test
  void parsesSimpleAndIsoDurations() {
    assertThat(MeterSpec.parseNanos("250us")).isEqualTo(250_000L);
    assertThat(MeterSpec.parseNanos("10ms")).isEqualTo(10_000_000L);
    assertThat(MeterSpec.parseNanos("2s")).isEqualTo(2_000_000_000L);
    assertThat(MeterSpec.parseNanos("1m")).isEqualTo(60_000_000_000L);
    assertThat(MeterSpec.parseNanos("PT0.5S")).isEqualTo(500_000_000L);
    assertThatThrownBy(() -> MeterSpec.parseNanos("10")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MeterSpec.parseNanos("-PT1S")).isInstanceOf(IllegalArgumentException.class);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(Class<?> bean, String attribute) {
    Throwable[] failure = new Throwable[1];
    runner.withBean(bean).run(context -> {
      assertThat(context).hasFailed();
      failure[0] = context.getStartupFailure();
    });
    return assertThat(failure[0]).rootCause()
        .isInstanceOf(InvalidMeterAnnotationException.class)
        .hasMessageContaining(bean.getName())
        .satisfies(e -> assertThat(((InvalidMeterAnnotationException) e).attribute()).isEqualTo(attribute));
  }

  static class OddTags {
    @Timed(value = "orders.place", extraTags = {"region", "east", "tier"})
    public void place(String item) {}
  }

  static class ShortName {
    @Timed("p")
    public void place() {}
  }

  static class ReservedKey {
    @Timed(extraTags = {"method", "post"})
    public void place() {}
  }

  static class AtlasKey {
    @Timed(extraTags = {"atlas.dstype", "gauge"})
    public void place() {}
  }

  static class LongValue {
    @Timed(extraTags = {"region", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
        + "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"})
    public void place() {}
  }

  static class RepeatedKey {
    @Timed(extraTags = {"region", "east", "region", "west"})
    public void place() {}
  }

  static class TooManyTags {
    // name, statistic, class, method, exception + 16 = 21
    @Timed(extraTags = {"k1", "v", "k2", "v", "k3", "v", "k4", "v", "k5", "v", "k6", "v", "k7", "v", "k8", "v",
        "k9", "v", "k10", "v", "k11", "v", "k12", "v", "k13", "v", "k14", "v", "k15", "v", "k16", "v"})
    public void place() {}
  }

  static class UnparsableRange {
    @Timed(percentiles = true, percentileRangeMax = "ten seconds")
    public void place() {}
  }

  static class RangeWithoutPercentiles {
    @Timed(percentileRangeMin = "1ms")
    public void place() {}
  }

  static class EmptyRange {
    @Timed(percentiles = true, percentileRangeMin = "1s", percentileRangeMax = "1s")
    public void place() {}
  }

  static class LongTaskWithPercentiles {
    @Timed(longTask = true, percentiles = true)
    public void place() {}
  }

  static class InvalidCounted {
    @Counted(extraTags = "region")
    public void place() {}
  }

  @Timed(extraTags = {"x", "y"})
  static class InvalidClassLevel {
    public void list() {}
  }

  static class Valid {
    @Timed(value = "orders.place", extraTags = {"region", "east", "nf.app", "shop"}, percentiles = true,
        percentileRangeMin = "1ms", percentileRangeMax = "PT10S")
    public void place() {}

    @Counted(value = "orders.refund", recordFailuresOnly = true)
    public void refund() {}
  }

  static class PrivateMethod {
    public void visible() {
      hidden();
    }

    @Timed
    private void hidden() {}
  }
}
