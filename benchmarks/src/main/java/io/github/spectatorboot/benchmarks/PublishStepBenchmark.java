package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.ManualClock;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.atlas.AtlasConfig;
import com.netflix.spectator.atlas.AtlasRegistry;
import com.netflix.spectator.atlas.Publisher;
import com.netflix.spectator.atlas.impl.DefaultPublisher;
import com.netflix.spectator.atlas.impl.EvalPayload;
import com.netflix.spectator.atlas.impl.PublishPayload;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.github.spectatorboot.registry.StepSnapshot;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One step of 100,000 measurements (20,000 counters and 20,000 timers, every meter updated in the
 * step, three common tags) taken from the registry and turned into gzip-compressed request bodies
 * of at most 10,000 measurements, the network left out:
 *
 * <ul>
 *   <li>{@code stepRegistryPublishApi}: {@code StepRegistry.poll} and this project's publish API
 *       encoder (JSON fragments encoded once per meter, deflated at level 3 into gzip);</li>
 *   <li>{@code stepRegistryAggregator}: {@code StepRegistry.poll} and the aggregator encoder
 *       (string table, raw deltas, deflated at level 2);</li>
 *   <li>{@code atlasRegistry}: Netflix's {@code AtlasRegistry.sendToAtlas()} itself, with step and
 *       lwc step both one minute: {@code pollMeters}, the consolidators, {@code getBatches}, the
 *       expiry sweep, and for every batch {@code DefaultPublisher.encodeBatch} (Smile into gzip
 *       at {@code BEST_SPEED}), called in place of the HTTP send on the calling
 *       thread where {@code DefaultPublisher} would hand it to its sender pool.</li>
 *   <li>{@code stepRegistryPublishApiParallel}, {@code stepRegistryAggregatorParallel}: the same
 *       encoders writing and deflating the step's batches on one thread per core (the calling
 *       thread and a pool), as the publisher runs them;</li>
 *   <li>{@code atlasRegistryParallel}: {@code AtlasRegistry} with its batches encoded on a pool of
 *       one thread per core, as {@code DefaultPublisher} does on its sender pool, and
 *       {@code sendToAtlas} waiting for them all, as it does.</li>
 * </ul>
 *
 * <p>The parallel variants trade CPU time on other cores for wall time: their ms/op is the wall
 * time of the step, and {@code -prof gc} counts the allocation of every thread.
 *
 * <p>Recording into the meters happens in the per-invocation setup, outside the measured time.
 * The encoders and {@code sendToAtlas}/{@code encodeBatch} are not public, so they are reached
 * through method handles (no JPMS on the class path), which adds a few nanoseconds per call.
 * Run with {@code -prof gc} for the allocation per step ({@code gc.alloc.rate.norm}); each trial
 * prints the bytes on the wire per measurement of its last step. With
 * {@code -jvmArgsAppend -Xlog:gc*:file=gc.log} the GC log shows whether any step allocated a
 * humongous object (no "Humongous regions" count above 0 at the pauses).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PublishStepBenchmark {

  static final int COUNTERS = 20_000;
  static final int TIMERS = 20_000;
  static final int BATCH_SIZE = 10_000;
  static final long STEP_MILLIS = 60_000;
  static final Map<String, String> COMMON_TAGS = Map.of(
      "nf.app", "benchapp", "nf.cluster", "benchapp-main", "nf.node", "i-0123456789abcdef0");

  /** The same 40,000 meters in whichever registry, recorded into once per step. */
  static final class Meters {
    private final Counter[] counters = new Counter[COUNTERS];
    private final Timer[] timers = new Timer[TIMERS];

    Meters(Registry registry) {
      for (int i = 0; i < COUNTERS; i++) {
        counters[i] = registry.counter("server.requests." + (i % 50),
            "endpoint", "/api/v1/resource" + (i / 50), "status", String.valueOf(200 + i % 5));
      }
      for (int i = 0; i < TIMERS; i++) {
        timers[i] = registry.timer("server.latency." + (i % 50),
            "endpoint", "/api/v1/resource" + (i / 50), "method", i % 2 == 0 ? "GET" : "POST");
      }
    }

    void recordOneStep() {
      for (int i = 0; i < COUNTERS; i++) {
        counters[i].increment(1 + i % 7);
      }
      for (int i = 0; i < TIMERS; i++) {
        timers[i].record(1 + i % 1000, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** This project: a {@link StepRegistry} and the two encoders. */
  @State(Scope.Benchmark)
  public static class StepRegistryState {
    StepRegistry registry;
    Meters meters;
    long stepEnd;
    /** How the bodies are written: Smile (the default) or JSON text. */
    @Param({"smile", "json"})
    public String encoding = "smile";
    Object publishEncoder;
    Object aggregatorEncoder;
    Object publishEncoderParallel;
    Object aggregatorEncoderParallel;
    MethodHandle encode;
    int lastSize;
    List<?> lastBatches;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
      registry = new StepRegistry(Clock.SYSTEM, new StepRegistryConfig(
          Duration.ofMillis(STEP_MILLIS), Duration.ofDays(365), 1_000_000, COMMON_TAGS));
      meters = new Meters(registry);
      stepEnd = System.currentTimeMillis() / STEP_MILLIS * STEP_MILLIS;
      Class<?> encoderType = Class.forName("io.github.spectatorboot.publish.PayloadEncoder");
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(encoderType, MethodHandles.lookup());
      encode = lookup.findVirtual(encoderType, "encode", MethodType.methodType(List.class, StepSnapshot.class, int.class))
          .asType(MethodType.methodType(List.class, Object.class, StepSnapshot.class, int.class));
      boolean smile = switch (encoding) {
        case "smile" -> true;
        case "json" -> false;
        default -> throw new IllegalArgumentException("encoding is smile or json, got " + encoding);
      };
      Object serial = newCompressor(null);
      Object parallel = newCompressor(POOL);
      publishEncoder = newEncoder("io.github.spectatorboot.publish.PublishApiEncoder", smile, serial);
      aggregatorEncoder = newEncoder("io.github.spectatorboot.publish.AggregatorEncoder", smile, serial);
      publishEncoderParallel = newEncoder("io.github.spectatorboot.publish.PublishApiEncoder", smile, parallel);
      aggregatorEncoderParallel = newEncoder("io.github.spectatorboot.publish.AggregatorEncoder", smile, parallel);
    }

    @Setup(Level.Invocation)
    public void recordOneStep() {
      meters.recordOneStep();
      stepEnd += STEP_MILLIS;
    }

    /** Polls the step and encodes it with {@code encoder}: what each of our benchmarks times. */
    List<?> step(Object encoder) throws Throwable {
      StepSnapshot snapshot = registry.poll(stepEnd);
      lastSize = snapshot.size();
      lastBatches = (List<?>) encode.invokeExact(encoder, snapshot, BATCH_SIZE);
      return lastBatches;
    }

    @TearDown(Level.Trial)
    public void check() throws ReflectiveOperationException {
      if (lastSize < COUNTERS + 4 * TIMERS) {
        throw new IllegalStateException("the step held " + lastSize + " measurements, not 100,000");
      }
      long bytes = 0;
      long measurements = 0;
      for (Object batch : lastBatches) {
        Method body = batch.getClass().getDeclaredMethod("body");
        Method size = batch.getClass().getDeclaredMethod("size");
        body.setAccessible(true);
        size.setAccessible(true);
        bytes += ((byte[]) body.invoke(batch)).length;
        measurements += (int) size.invoke(batch);
      }
      System.out.printf("%nbytes on the wire: %,d for %,d measurements, %.2f per measurement%n",
          bytes, measurements, (double) bytes / measurements);
    }
  }

  /** Netflix's {@link AtlasRegistry}, its {@code sendToAtlas()} and {@code DefaultPublisher.encodeBatch}. */
  @State(Scope.Benchmark)
  public static class AtlasRegistryState {
    ManualClock clock;
    AtlasRegistry registry;
    Meters meters;
    MethodHandle sendToAtlas;
    EncodingPublisher publisher;

    /** Where the batches are encoded: {@code null} for the calling thread. */
    Executor encoders() {
      return null;
    }

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
      clock = new ManualClock();
      clock.setWallTime(System.currentTimeMillis() / STEP_MILLIS * STEP_MILLIS + STEP_MILLIS / 2);
      publisher = new EncodingPublisher(encoders());
      registry = new AtlasRegistry(clock, new BenchAtlasConfig(publisher));
      meters = new Meters(registry);
      Method send = AtlasRegistry.class.getDeclaredMethod("sendToAtlas");
      send.setAccessible(true);
      sendToAtlas = MethodHandles.lookup().unreflect(send);
    }

    /** AtlasRegistry reads its clock: record in the middle of a step, publish in the next one. */
    @Setup(Level.Invocation)
    public void recordOneStep() {
      meters.recordOneStep();
      clock.setWallTime(clock.wallTime() + STEP_MILLIS);
      publisher.lastMeasurements = 0;
      publisher.lastBytes = 0;
    }

    @TearDown(Level.Trial)
    public void check() {
      if (publisher.lastMeasurements < COUNTERS + 4 * TIMERS) {
        throw new IllegalStateException("AtlasRegistry published " + publisher.lastMeasurements
            + " measurements, not 100,000: the benchmark is not measuring its path");
      }
      System.out.printf("%nbytes on the wire: %,d for %,d measurements, %.2f per measurement%n",
          publisher.lastBytes, publisher.lastMeasurements, (double) publisher.lastBytes / publisher.lastMeasurements);
    }
  }

  @Benchmark
  public List<?> stepRegistryPublishApi(StepRegistryState s) throws Throwable {
    return s.step(s.publishEncoder);
  }

  @Benchmark
  public List<?> stepRegistryAggregator(StepRegistryState s) throws Throwable {
    return s.step(s.aggregatorEncoder);
  }

  @Benchmark
  public List<?> stepRegistryPublishApiParallel(StepRegistryState s) throws Throwable {
    return s.step(s.publishEncoderParallel);
  }

  @Benchmark
  public List<?> stepRegistryAggregatorParallel(StepRegistryState s) throws Throwable {
    return s.step(s.aggregatorEncoderParallel);
  }

  @Benchmark
  public long atlasRegistry(AtlasRegistryState s) throws Throwable {
    s.sendToAtlas.invokeExact(s.registry);
    return s.publisher.bytes;
  }

  @Benchmark
  public long atlasRegistryParallel(AtlasRegistryParallelState s) throws Throwable {
    s.sendToAtlas.invokeExact(s.registry);
    return s.publisher.bytes;
  }

  /**
   * {@code AtlasRegistry} with its batches encoded on a pool of {@link #THREADS} threads, as
   * {@code DefaultPublisher} does on its sender pool; {@code sendToAtlas} waits for them all.
   */
  @State(Scope.Benchmark)
  public static class AtlasRegistryParallelState extends AtlasRegistryState {
    @Override Executor encoders() {
      return POOL;
    }
  }

  /** Threads encoding one step in the parallel variants: one per core. */
  static final int THREADS = Runtime.getRuntime().availableProcessors();

  /** The helper threads of the parallel variants (the calling thread takes part in ours). */
  static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
    Thread t = new Thread(r, "publish-step-encoder");
    t.setDaemon(true);
    return t;
  });

  private static Object newEncoder(String className, boolean smile, Object compressor) throws Throwable {
    Class<?> type = Class.forName(className);
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    return lookup.findConstructor(type, MethodType.methodType(void.class, boolean.class, compressor.getClass()))
        .invoke(smile, compressor);
  }

  /**
   * Our {@code BatchCompressor}: on {@code pool}, {@link #THREADS} threads per step, or with no
   * pool its {@code SERIAL} one, every batch on the calling thread.
   */
  private static Object newCompressor(Executor pool) throws Throwable {
    Class<?> type = Class.forName("io.github.spectatorboot.publish.BatchCompressor");
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    if (pool == null) {
      return lookup.findStaticGetter(type, "SERIAL", type).invoke();
    }
    return lookup.findConstructor(type, MethodType.methodType(void.class, Executor.class, int.class))
        .invoke(pool, THREADS);
  }

  /**
   * Stands in for {@code DefaultPublisher}'s send: encodes each batch with the real
   * {@code DefaultPublisher.encodeBatch} on the calling thread and keeps only the size.
   */
  static final class EncodingPublisher implements Publisher {
    private final DefaultPublisher delegate;
    private final MethodHandle encodeBatch;
    private final Executor executor;
    long bytes;
    long lastBytes;
    long lastMeasurements;

    /** @param executor where to encode, as DefaultPublisher's sender pool; {@code null} for the calling thread */
    EncodingPublisher(Executor executor) throws ReflectiveOperationException {
      this.executor = executor;
      AtlasConfig defaults = k -> null;
      this.delegate = new DefaultPublisher(defaults);
      Method m = DefaultPublisher.class.getDeclaredMethod("encodeBatch", PublishPayload.class);
      m.setAccessible(true);
      this.encodeBatch = MethodHandles.lookup().unreflect(m);
    }

    @Override public void init() {
    }

    @Override public CompletableFuture<Void> publish(PublishPayload payload) {
      if (executor != null) {
        return CompletableFuture.runAsync(() -> encode(payload), executor);
      }
      try {
        encode(payload);
        return CompletableFuture.completedFuture(null);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    private void encode(PublishPayload payload) {
      byte[] body;
      try {
        body = (byte[]) encodeBatch.invokeExact(delegate, payload);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
      synchronized (this) {
        bytes += body.length;
        lastBytes += body.length;
        lastMeasurements += payload.getMetrics().size();
      }
    }

    @Override public CompletableFuture<Void> publish(EvalPayload payload) {
      return CompletableFuture.completedFuture(null);
    }

    @Override public void close() {
    }
  }

  /** One minute steps for both publishing and polling, no streaming, the benchmark's publisher. */
  static final class BenchAtlasConfig implements AtlasConfig {
    private final Publisher publisher;

    BenchAtlasConfig(Publisher publisher) {
      this.publisher = publisher;
    }

    @Override public String get(String k) {
      return switch (k) {
        case "atlas.step", "atlas.lwc.step" -> "PT1M";
        case "atlas.meterTTL" -> "P365D";
        default -> null;
      };
    }

    @Override public Map<String, String> commonTags() {
      return COMMON_TAGS;
    }

    @Override public Publisher publisher() {
      return publisher;
    }
  }
}
