package io.github.spectatorboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link InvalidSpectatorPropertyException} into Boot's start-up failure report. */
class SpectatorPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSpectatorPropertyException> {

  @Override protected FailureAnalysis analyze(Throwable rootFailure, InvalidSpectatorPropertyException cause) {
    String description = String.format("Invalid %s '%s' for property '%s':%n%n    %s.", cause.getRejected(),
        InvalidSpectatorPropertyException.display(cause.getValue()), cause.getProperty(), cause.getReason());
    return new FailureAnalysis(description, cause.getFix(), cause);
  }
}
