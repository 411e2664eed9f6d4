package io.github.spectatorboot.aop;

import java.util.concurrent.CompletionStage;

/** How a method's declared return type tells when a call ends. */
enum ReturnKind {

  /** The call ends when the method returns or throws. */
  SYNC,
  /** The call ends when the returned {@link CompletionStage} completes. */
  COMPLETION_STAGE,
  /** Each subscription to the returned {@code Mono} ends at its terminal signal or cancellation. */
  MONO,
  /** Each subscription to the returned {@code Flux} ends at its terminal signal or cancellation. */
  FLUX;

  private static final String MONO_CLASS = "reactor.core.publisher.Mono";
  private static final String FLUX_CLASS = "reactor.core.publisher.Flux";

  /**
   * The kind for a declared return type. Reactor types are matched by name, so Reactor is loaded
   * only for methods that return its types, and the aspects work without it on the class path.
   * Only {@code Mono} and {@code Flux} themselves are decorated: a subclass or a plain
   * {@code Publisher} could not be replaced by the decorated publisher without breaking the caller.
   */
  static ReturnKind of(Class<?> returnType) {
    if (CompletionStage.class.isAssignableFrom(returnType)) {
      return COMPLETION_STAGE;
    }
    return switch (returnType.getName()) {
      case MONO_CLASS -> MONO;
      case FLUX_CLASS -> FLUX;
      default -> SYNC;
    };
  }

  boolean isReactive() {
    return this == MONO || this == FLUX;
  }
}
