package io.github.spectatorboot.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * One registry under test, behind the operations the benchmarks measure, so that every benchmark
 * runs the same workload against each registry. A JMH fork only ever builds one kind, so the call
 * sites behind these methods stay monomorphic and cost nothing extra.
 *
 * <p>Every registry gets the same one-minute step. The recording benchmarks use the system clock,
 * because reading it on every update is part of what {@code AtlasRegistry} and Micrometer's step
 * meters cost; the poll and heap measurements use a manual clock that {@link #advanceStep()} moves
 * one step at a time.
 */
abstract class Contender {

  /** Our {@code StepRegistry}. */
  static final String STEP = "step";
  /** Netflix's {@code AtlasRegistry}, never started. */
  static final String ATLAS = "atlas";
  /** Micrometer's {@code SimpleMeterRegistry} in {@code CountingMode.STEP}. */
  static final String MICROMETER = "micrometer";
  /** The registries in the order the report shows them. */
  static final List<String> ALL = List.of(STEP, ATLAS, MICROMETER);

  static final Duration STEP_SIZE = Duration.ofMinutes(1);
  static final long STEP_MILLIS = STEP_SIZE.toMillis();
  /** Where manual clocks start: one second after a step boundary, as a scheduler that polls just after it. */
  static final long START_MILLIS = 28_333_334L * STEP_MILLIS + 1_000L;

  static final String COUNTER_NAME = "bench.counter";
  static final String TIMER_NAME = "bench.timer";
  static final String SUMMARY_NAME = "bench.summary";
  /** Tag key that tells the many meters apart. */
  static final String ID_TAG = "id";

  /** A contender for {@code registry}, one of {@link #ALL}, on a manual or the system clock. */
  static Contender create(String registry, boolean manualClock) {
    return switch (registry) {
      case STEP -> new StepContender(manualClock);
      case ATLAS -> new AtlasContender(manualClock);
      case MICROMETER -> new MicrometerContender(manualClock);
      default -> throw new IllegalArgumentException("unknown registry " + registry + ", expected one of " + ALL);
    };
  }

  /** The registry itself, the root of what the heap measurement walks. */
  abstract Object registry();

  /** Creates the counter, timer and distribution summary that the recording benchmarks hold. */
  abstract void holdMeters();

  abstract void incrementHeldCounter();

  abstract void recordHeldTimer(long nanos);

  abstract void recordHeldSummary(long amount);

  /** {@code registry.counter(name, key, value).increment()}. */
  abstract void lookupAndIncrement(String name, String key, String value);

  /** Creates {@code n} counters named {@link #COUNTER_NAME} with an {@link #ID_TAG} tag, kept for {@link #updateMeters()}. */
  abstract void createCounters(int n);

  /** Creates {@code n} timers named {@link #TIMER_NAME} with an {@link #ID_TAG} tag, kept for {@link #updateMeters()}. */
  abstract void createTimers(int n);

  /** Increments every created counter once and records one duration into every created timer. */
  abstract void updateMeters();

  /** Moves the manual clock on by one step. */
  abstract void advanceStep();

  /**
   * Collects the completed step the way the registry's publisher would, and hands every value
   * and its id to {@code sink}.
   */
  abstract void poll(PollSink sink);

  /** A duration in nanoseconds between 1 µs and about 1 ms that differs from meter to meter. */
  static long durationNanos(int i) {
    return 1_000L + (i * 7_919L) % 1_000_000L;
  }

  /** The {@link #ID_TAG} value of meter {@code i}; a new string, as a tag value built at run time would be. */
  static String idValue(int i) {
    return "m" + i;
  }
}
