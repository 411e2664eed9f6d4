package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.spectatorboot.lwc.LwcStatus;
import io.github.spectatorboot.lwc.LwcStreamer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class SpectatorLwcAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SpectatorAutoConfiguration.class, SpectatorLwcAutoConfiguration.class))
      .withPropertyValues("spectator.global-registry.enabled=false", "spectator.jvm.enabled=false");

  @Test
  void streamingIsOffByDefault() {
    runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LwcStreamer.class));
  }

  @Test
  void streamsWithUrisDerivedFromThePublishUriAndTheCluster() {
    runner.withPropertyValues("spectator.lwc.enabled=true", "spectator.uri=https://atlas.example:7101/api/v1/publish",
        "spectator.common-tags.nf.app=shop", "spectator.common-tags.nf.cluster=shop-main").run(context -> {
          LwcStatus status = context.getBean(LwcStreamer.class).status();
          assertThat(status.configUri()).isEqualTo("https://atlas.example:7101/lwc/api/v1/expressions/shop-main");
          assertThat(status.evalUri()).isEqualTo("https://atlas.example:7101/lwc/api/v1/evaluate");
          assertThat(status.stepMillis()).isEqualTo(5_000);
        });
  }

  @Test
  void urisSetExplicitlyWin() {
    runner.withPropertyValues("spectator.lwc.enabled=true", "spectator.lwc.config-uri=http://lwc/lwc/api/v1/expressions/x",
        "spectator.lwc.eval-uri=http://lwc/lwc/api/v1/evaluate").run(context -> {
          LwcStatus status = context.getBean(LwcStreamer.class).status();
          assertThat(status.configUri()).isEqualTo("http://lwc/lwc/api/v1/expressions/x");
          assertThat(status.evalUri()).isEqualTo("http://lwc/lwc/api/v1/evaluate");
        });
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "spectator.lwc.step | 7s | divides spectator.step",
      "spectator.lwc.step | 0s | divides spectator.step",
      "spectator.lwc.step | 2500ms | whole number of seconds",
      "spectator.lwc.refresh-frequency | 0s | positive",
      "spectator.lwc.config-uri | ftp://lwc/x | absolute http",
      "spectator.lwc.eval-uri | /lwc/api/v1/evaluate | absolute http",
  })
  void aBadLwcValueStopsStartUpWithAMessageNamingThePropertyAndTheFix(String property, String value, String expected) {
    runner.withPropertyValues("spectator.lwc.enabled=true", property + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = new SpectatorPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains(property).contains(expected);
      assertThat(analysis.getAction()).contains("Set " + property);
    });
  }

  @Test
  void badLwcValuesDoNotMatterWhileStreamingIsOff() {
    runner.withPropertyValues("spectator.lwc.step=7s").run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void turningStreamingOnWithoutSpectatorRegAtlasNamesTheDependencyToAdd() {
    runner.withClassLoader(new FilteredClassLoader("com.netflix.spectator.atlas."))
        .withPropertyValues("spectator.lwc.enabled=true").run(context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis = new SpectatorPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis.getDescription()).contains("spectator.lwc.enabled");
          assertThat(analysis.getAction()).contains("com.netflix.spectator:spectator-reg-atlas");
        });
  }
}
