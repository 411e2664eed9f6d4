package io.github.spectatorboot.autoconfigure;

import io.github.spectatorboot.aop.InvalidMeterAnnotationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.util.StringUtils;

/**
 * Turns an {@link InvalidMeterAnnotationException} (a {@code @Timed} or {@code @Counted} Atlas
 * would reject) into Boot's start-up failure report, in place of the stack trace of the bean that
 * could not be created.
 */
class MeterAnnotationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidMeterAnnotationException> {

  @Override protected FailureAnalysis analyze(Throwable rootFailure, InvalidMeterAnnotationException cause) {
    String description = String.format("Invalid @%s annotation on %s:%n%n    %s: %s.",
        cause.annotation(), cause.annotatedElement(), cause.attribute(), cause.problem());
    String action = String.format("%s, in the @%s annotation on %s.",
        StringUtils.capitalize(cause.fix()), cause.annotation(), cause.annotatedElement());
    return new FailureAnalysis(description, action, cause);
  }
}
