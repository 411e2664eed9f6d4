package io.github.spectatorboot.aop;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.springframework.util.ClassUtils;

/**
 * Records the calls of one annotated method on one class: a recording starts when a call (or a
 * subscription to the publisher it returned) begins and ends exactly once, as a success, a failure
 * or a cancellation. Recording never throws: a problem is logged once at WARN, then at DEBUG, and
 * the application's call goes on unchanged.
 */
abstract class MethodRecorder {

  /** The intercepted call, continued. */
  @FunctionalInterface
  interface Call {
    Object proceed() throws Throwable;
  }


  final Class<?> targetClass;
  final ReturnKind kind;
  private final String method;
  private final Logger logger;
  private final AtomicBoolean warned = new AtomicBoolean();

  /**
   * @param targetClass the class of the proxied object this recorder was built for
   * @param kind when a call ends
   * @param method the method for log messages
   * @param logger the aspect's logger
   */
  MethodRecorder(Class<?> targetClass, ReturnKind kind, String method, Logger logger) {
    this.targetClass = targetClass;
    this.kind = kind;
    this.method = method;
    this.logger = logger;
  }

  /** A recorder that records nothing, for a method whose annotation could not be used. */
  static MethodRecorder disabled(Class<?> targetClass, Logger logger) {
    return new Disabled(targetClass, logger);
  }

  /** Starts a recording; the token is handed back to exactly one of the stop methods. */
  abstract long start();

  /** The call or subscription completed normally. */
  abstract void success(long token);

  /** The call threw, or its stage or publisher failed, with {@code error}. */
  abstract void failure(long token, Throwable error);

  /** The subscription or the stage was cancelled. */
  abstract void cancelled(long token);

  /**
   * Calls the method and records the call, returning what it returns and throwing what it throws.
   */
  Object proceed(Call call) throws Throwable {
    if (kind.isReactive()) {
      return proceedReactive(call);
    }
    long token = start();
    Object result;
    try {
      result = call.proceed();
    } catch (Throwable t) {
      failure(token, t);
      throw t;
    }
    if (kind == ReturnKind.COMPLETION_STAGE && result != null) {
      whenComplete((CompletionStage<?>) result, token);
    } else {
      success(token);
    }
    return result;
  }

  private void whenComplete(CompletionStage<?> stage, long token) {
    try {
      // the stage whenComplete returns is dropped: the caller keeps the very stage the method
      // returned (its type, identity and cancel), and a failing callback cannot reach it
      stage.whenComplete((value, error) -> {
        if (error == null) {
          success(token);
          return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) {
          cancelled(token);
        } else {
          failure(token, cause);
        }
      });
    } catch (RuntimeException e) {
      warn(e);
    }
  }

  private Object proceedReactive(Call call) throws Throwable {
    Object result;
    try {
      result = call.proceed();
    } catch (Throwable t) {
      // no publisher, no subscription: the failed call is recorded on its own
      failure(start(), t);
      throw t;
    }
    if (result == null) {
      success(start());
      return null;
    }
    try {
      return ReactorPublishers.record(result, kind == ReturnKind.MONO, this);
    } catch (RuntimeException | LinkageError e) {
      warn(e);
      return result;
    }
  }

  /** Logs a recording problem: the first at WARN, later ones at DEBUG. */
  final void warn(Throwable e) {
    if (warned.compareAndSet(false, true)) {
      logger.warn("Could not record a call of {}; the call is not affected, later problems are logged at DEBUG",
          method, e);
    } else if (logger.isDebugEnabled()) {
      logger.debug("Could not record a call of {}", method, e);
    }
  }

  /** Value of the {@code exception} tag: the simple class name, or the short name for anonymous classes. */
  static String exceptionTag(Throwable error) {
    Class<?> type = error.getClass();
    String name = type.getSimpleName();
    if (name.isEmpty()) {
      name = ClassUtils.getShortName(type);
    }
    return name.length() <= MeterSpec.MAX_VALUE_LENGTH ? name : name.substring(0, MeterSpec.MAX_VALUE_LENGTH);
  }

  private static final class Disabled extends MethodRecorder {

    Disabled(Class<?> targetClass, Logger logger) {
      super(targetClass, ReturnKind.SYNC, "", logger);
    }

    @Override Object proceed(Call call) throws Throwable {
      return call.proceed();
    }

    @Override long start() {
      return 0L;
    }

    @Override void success(long token) {}

    @Override void failure(long token, Throwable error) {}

    @Override void cancelled(long token) {}
  }
}
