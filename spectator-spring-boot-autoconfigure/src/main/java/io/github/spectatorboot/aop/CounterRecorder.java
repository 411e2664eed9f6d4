package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Registry;
import org.slf4j.Logger;

/**
 * Counts each call once, when it ends, in a counter tagged {@code result} and {@code exception};
 * with {@code recordFailuresOnly} only failures are counted. The counter is asked of the registry
 * on each call, as in {@link TimerRecorder}.
 */
final class CounterRecorder extends MethodRecorder {

  private final Registry registry;
  private final Id baseId;
  private final Id successId;
  private final Id cancelledId;
  private final boolean failuresOnly;

  CounterRecorder(Registry registry, MeterSpec spec, Class<?> targetClass, ReturnKind kind, String method, Logger logger) {
    super(targetClass, kind, method, logger);
    this.registry = registry;
    this.baseId = spec.baseId(registry);
    this.successId = baseId.withTags(AspectTags.RESULT, AspectTags.SUCCESS, AspectTags.EXCEPTION, AspectTags.NONE);
    this.cancelledId = baseId.withTags(AspectTags.RESULT, AspectTags.CANCELLED, AspectTags.EXCEPTION, AspectTags.CANCELLED);
    this.failuresOnly = spec.failuresOnly();
  }

  @Override long start() {
    return 0L;
  }

  @Override void success(long token) {
    if (!failuresOnly) {
      increment(successId);
    }
  }

  @Override void failure(long token, Throwable error) {
    try {
      increment(baseId.withTags(AspectTags.RESULT, AspectTags.FAILURE, AspectTags.EXCEPTION, exceptionTag(error)));
    } catch (RuntimeException e) {
      warn(e);
    }
  }

  @Override void cancelled(long token) {
    if (!failuresOnly) {
      increment(cancelledId);
    }
  }

  private void increment(Id id) {
    try {
      registry.counter(id).increment();
    } catch (RuntimeException | LinkageError e) {
      warn(e);
    }
  }
}
