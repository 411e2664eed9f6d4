package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.spectatorboot.annotation.Timed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@ExtendWith(OutputCaptureExtension.class)
class MeterAnnotationFailureAnalyzerTest {

  private static final String METHOD = BadlyNamed.class.getName() + "#place(String)";

  @Test
  void anInvalidAnnotationIsExplainedWithTheMethodTheAnnotationTheProblemAndTheFix() {
    Throwable failure = catchThrowable(this::runApplication);

    FailureAnalysis analysis = new MeterAnnotationFailureAnalyzer().analyze(failure);

    assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
    assertThat(analysis.getDescription()).isEqualTo(String.format(
        "Invalid @Timed annotation on %s:%n%n    value: the meter name \"p\" is 1 character long, but Atlas "
            + "accepts 2 to 255.", METHOD));
    assertThat(analysis.getAction()).isEqualTo("Choose a name of 2 to 255 characters, or leave it blank for "
        + "method.timed, in the @Timed annotation on " + METHOD + ".");
  }

  @Test
  void aBootApplicationWithAnInvalidAnnotationPrintsTheReportInsteadOfTheStackTrace(CapturedOutput output) {
    catchThrowable(this::runApplication);

    assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
        .contains("Invalid @Timed annotation on " + METHOD)
        .contains("Choose a name of 2 to 255 characters")
        .doesNotContain("\tat org.springframework."); // no stack trace
  }

  private void runApplication() {
    SpringApplication app = new SpringApplication(BadAnnotationApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.run("--spectator.global-registry.enabled=false", "--spectator.publish.enabled=false",
        "--spectator.jvm.enabled=false");
  }

  static class BadlyNamed {
    @Timed("p")
    public String place(String item) {
      return item;
    }
  }

  /** Needs the annotated bean, so its failure reaches the application wrapped as a dependency failure. */
  static class OrderController {
    OrderController(BadlyNamed orders) {}
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class BadAnnotationApplication {
    @Bean
    OrderController orderController(BadlyNamed orders) {
      return new OrderController(orders);
    }

    @Bean
    BadlyNamed badlyNamed() {
      return new BadlyNamed();
    }
  }
}
