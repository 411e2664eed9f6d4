package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@ExtendWith(OutputCaptureExtension.class)
class SpectatorPropertiesValidationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SpectatorAutoConfiguration.class))
      .withPropertyValues("spectator.global-registry.enabled=false");

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "spectator.step | -5s | spectator.step",
      "spectator.step | 0s | spectator.step",
      "spectator.step | 1500ms | whole numbers of seconds",
      "spectator.batch-size | 0 | spectator.batch-size",
      "spectator.num-threads | -1 | spectator.num-threads",
      "spectator.max-meters | 0 | spectator.max-meters",
      "spectator.uri | ftp://atlas/api/v1/publish | spectator.uri",
      "spectator.uri | /api/v1/publish | spectator.uri",
      "spectator.connect-timeout | 0s | spectator.connect-timeout",
      "spectator.read-timeout | -1s | spectator.read-timeout",
      "spectator.meter-ttl | 0m | spectator.meter-ttl",
      "spectator.shutdown-timeout | -1s | spectator.shutdown-timeout",
      "spectator.shutdown-timeout | 0s | spectator.shutdown-timeout",
      "spectator.common-tags.nf.app | my app | spectator.common-tags.nf.app",
      "spectator.common-tags.nf.color | red | nf.* keys",
      "spectator.common-tags.atlas.dstype | rate | reserved",
      "spectator.common-tags.x | y | 2 to 60",
  })
  void aBadValueStopsStartUpWithAMessageNamingThePropertyAndTheFix(String property, String value, String expected) {
    runner.withPropertyValues(property + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      FailureAnalysis analysis = new SpectatorPropertiesFailureAnalyzer().analyze(failure);
      assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
      assertThat(analysis.getDescription()).contains(property).contains(expected.trim());
      assertThat(analysis.getAction()).containsAnyOf("Set " + property, "Change or remove " + property);
    });
  }

  @Test
  void aCommonTagWithAnEmptyValueIsRefused() {
    runner.withPropertyValues("spectator.common-tags.nf.app=").run(context -> {
      FailureAnalysis analysis = new SpectatorPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("1 to 120");
    });
  }

  @Test
  void aDurationIsEchoedAsTheUserWroteItNotInIsoForm() {
    assertThat(description("spectator.step=7ms")).startsWith("Invalid value '7ms' for property 'spectator.step'")
        .doesNotContain("PT0.007S");
    runner.withPropertyValues("spectator.step=7ms").run(context ->
        assertThat(context.getStartupFailure()).rootCause().hasMessageStartingWith("Invalid value '7ms'"));
    assertThat(description("spectator.shutdown-timeout=-90s"))
        .startsWith("Invalid value '-90s' for property 'spectator.shutdown-timeout'");
  }

  @Test
  void aBadCommonTagKeyIsReportedAsAnInvalidKey() {
    assertThat(description("spectator.common-tags.x=y"))
        .startsWith("Invalid key 'x' for property 'spectator.common-tags.x'")
        .contains("Atlas accepts tag keys of 2 to 60 characters");
    assertThat(description("spectator.common-tags.nf.color=red"))
        .startsWith("Invalid key 'nf.color' for property 'spectator.common-tags.nf.color'");
  }

  @Test
  void aBadCommonTagValueIsReportedAsAnInvalidValue() {
    assertThat(description("spectator.common-tags.nf.app=my app"))
        .startsWith("Invalid value 'my app' for property 'spectator.common-tags.nf.app'");
  }

  /** The failure analysis's description of a start with {@code property}. */
  private String description(String property) {
    String[] description = new String[1];
    runner.withPropertyValues(property).run(context ->
        description[0] = new SpectatorPropertiesFailureAnalyzer().analyze(context.getStartupFailure()).getDescription());
    return description[0];
  }

  @Test
  void validValuesStartTheContext() {
    runner.withPropertyValues("spectator.step=10s", "spectator.batch-size=500", "spectator.common-tags.nf.app=shop",
        "spectator.common-tags.nf.node=i-0123", "spectator.common-tags.team=payments",
        "spectator.uri=https://atlas.example.com/api/v1/publish")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void aBootApplicationWithABadValueReportsThePropertyAndTheFixWhenItFailsToStart(CapturedOutput output) {
    SpringApplication app = new SpringApplication(EmptyApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);

    assertThatException().isThrownBy(() -> app.run("--spectator.batch-size=0", "--spectator.global-registry.enabled=false"));

    assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
        .contains("Invalid value '0' for property 'spectator.batch-size'")
        .contains("Set spectator.batch-size to the number of measurements per request");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class EmptyApplication {}
}
