package io.github.spectatorboot.aop;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Records each subscription to a {@code Mono} or {@code Flux} from {@code subscribe} to its
 * terminal signal or cancellation, once. Every Reactor reference of the aspects is in this file,
 * which is loaded only when a method declared to return {@code Mono} or {@code Flux} is called,
 * so the aspects need no Reactor on the class path otherwise.
 */
final class ReactorPublishers {

  private ReactorPublishers() {}

  /** {@code publisher}, a {@code Mono} when {@code mono} else a {@code Flux}, decorated to record each subscription. */
  static Object record(Object publisher, boolean mono, MethodRecorder recorder) {
    return mono
        ? RecordedMono.of((Mono<?>) publisher, recorder)
        : RecordedFlux.of((Flux<?>) publisher, recorder);
  }

  private static final class RecordedMono<T> extends MonoOperator<T, T> {

    private final MethodRecorder recorder;

    private RecordedMono(Mono<? extends T> source, MethodRecorder recorder) {
      super(source);
      this.recorder = recorder;
    }

    static <T> Mono<T> of(Mono<? extends T> source, MethodRecorder recorder) {
      return onAssembly(new RecordedMono<>(source, recorder));
    }

    @Override public void subscribe(CoreSubscriber<? super T> actual) {
      source.subscribe(new RecordingSubscriber<>(actual, recorder, recorder.start()));
    }
  }

  private static final class RecordedFlux<T> extends FluxOperator<T, T> {

    private final MethodRecorder recorder;

    private RecordedFlux(Flux<? extends T> source, MethodRecorder recorder) {
      super(source);
      this.recorder = recorder;
    }

    static <T> Flux<T> of(Flux<? extends T> source, MethodRecorder recorder) {
      return onAssembly(new RecordedFlux<>(source, recorder));
    }

    @Override public void subscribe(CoreSubscriber<? super T> actual) {
      source.subscribe(new RecordingSubscriber<>(actual, recorder, recorder.start()));
    }
  }

  /**
   * Passes every signal through and stops the recording at the first of onComplete, onError and
   * cancel; the recording is stopped before the signal travels on, so downstream work is not
   * counted in the duration.
   */
  private static final class RecordingSubscriber<T> implements CoreSubscriber<T>, Subscription {

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<RecordingSubscriber> STOPPED =
        AtomicIntegerFieldUpdater.newUpdater(RecordingSubscriber.class, "stopped");

    private final CoreSubscriber<? super T> actual;
    private final MethodRecorder recorder;
    private final long token;
    private Subscription upstream;
    private volatile int stopped;

    RecordingSubscriber(CoreSubscriber<? super T> actual, MethodRecorder recorder, long token) {
      this.actual = actual;
      this.recorder = recorder;
      this.token = token;
    }

    @Override public Context currentContext() {
      return actual.currentContext();
    }

    @Override public void onSubscribe(Subscription s) {
      if (Operators.validate(upstream, s)) {
        upstream = s;
        actual.onSubscribe(this);
      }
    }

    @Override public void onNext(T t) {
      actual.onNext(t);
    }

    @Override public void onError(Throwable t) {
      if (STOPPED.compareAndSet(this, 0, 1)) {
        recorder.failure(token, t);
      }
      actual.onError(t);
    }

    @Override public void onComplete() {
      if (STOPPED.compareAndSet(this, 0, 1)) {
        recorder.success(token);
      }
      actual.onComplete();
    }

    @Override public void request(long n) {
      upstream.request(n);
    }

    @Override public void cancel() {
      if (STOPPED.compareAndSet(this, 0, 1)) {
        recorder.cancelled(token);
      }
      upstream.cancel();
    }
  }
}
