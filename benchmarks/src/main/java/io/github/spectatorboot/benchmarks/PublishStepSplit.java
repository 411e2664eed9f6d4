package io.github.spectatorboot.benchmarks;

import io.github.spectatorboot.registry.StepSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/**
 * Where the time of {@link PublishStepBenchmark}'s step goes: the same 100,000 measurements, timed
 * in parts on one thread, with {@code AtlasRegistry}'s whole path in the same run for the ratio.
 *
 * <ul>
 *   <li>poll only ({@code StepRegistry.poll});</li>
 *   <li>poll + encode + gzip, each format, as the benchmark times it, on one thread and on one
 *       thread per core (both, {@code AtlasRegistry} too), in Smile and in JSON;</li>
 *   <li>deflate only: the bodies of the last step, gunzipped, deflated again by a reused
 *       {@link Deflater} in 32 KB blocks as the encoders do, at several levels, with the bytes on
 *       the wire per measurement each level gives; and the CRC-32 alone.</li>
 * </ul>
 *
 * <p>Writing the JSON is what is left: (poll + encode + gzip) - poll - deflate at level 1.
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.spectatorboot.benchmarks.PublishStepSplit [steps=40]};
 * add {@code -XX:StartFlightRecording=filename=split.jfr,settings=profile} for the Java frames
 * ({@code jfr print --events jdk.ExecutionSample split.jfr}). Medians of the second half of the
 * steps (the first half warms up).
 */
public final class PublishStepSplit {

  private static final int[] LEVELS = {1, 2, 3, 4, 6};

  private PublishStepSplit() {}

  public static void main(String[] args) throws Throwable {
    int steps = args.length > 0 ? Integer.parseInt(args[0].replace("steps=", "")) : 40;
    PublishStepBenchmark.StepRegistryState ours = new PublishStepBenchmark.StepRegistryState();
    ours.setUp();
    PublishStepBenchmark.StepRegistryState json = new PublishStepBenchmark.StepRegistryState();
    json.encoding = "json";
    json.setUp();
    PublishStepBenchmark.AtlasRegistryState atlas = new PublishStepBenchmark.AtlasRegistryState();
    atlas.setUp();

    long[] poll = new long[steps];
    long[] publish = new long[steps];
    long[] aggregator = new long[steps];
    long[] atlasStep = new long[steps];
    long[] publishParallel = new long[steps];
    long[] aggregatorParallel = new long[steps];
    long[] atlasParallelStep = new long[steps];
    long[] publishJson = new long[steps];
    long[] aggregatorJson = new long[steps];
    long[] publishJsonParallel = new long[steps];
    long[] aggregatorJsonParallel = new long[steps];
    PublishStepBenchmark.AtlasRegistryParallelState atlasParallel = new PublishStepBenchmark.AtlasRegistryParallelState();
    atlasParallel.setUp();
    List<?> publishBatches = null;
    List<?> aggregatorBatches = null;
    List<?> publishJsonBatches = null;
    List<?> aggregatorJsonBatches = null;
    for (int i = 0; i < steps; i++) {
      // the same step over and over: poll alone, then each path with its own poll
      ours.recordOneStep();
      long t0 = System.nanoTime();
      StepSnapshot snapshot = ours.registry.poll(ours.stepEnd);
      poll[i] = System.nanoTime() - t0;
      if (snapshot.size() < PublishStepBenchmark.COUNTERS + 4 * PublishStepBenchmark.TIMERS) {
        throw new IllegalStateException("the step held " + snapshot.size() + " measurements");
      }
      publish[i] = time(ours, ours.publishEncoder);
      publishBatches = ours.lastBatches;
      aggregator[i] = time(ours, ours.aggregatorEncoder);
      aggregatorBatches = ours.lastBatches;
      atlasStep[i] = time(atlas);
      publishParallel[i] = time(ours, ours.publishEncoderParallel);
      aggregatorParallel[i] = time(ours, ours.aggregatorEncoderParallel);
      atlasParallelStep[i] = time(atlasParallel);
      publishJson[i] = time(json, json.publishEncoder);
      publishJsonBatches = json.lastBatches;
      aggregatorJson[i] = time(json, json.aggregatorEncoder);
      aggregatorJsonBatches = json.lastBatches;
      publishJsonParallel[i] = time(json, json.publishEncoderParallel);
      aggregatorJsonParallel[i] = time(json, json.aggregatorEncoderParallel);
    }
    System.out.printf("one step of 100,000 measurements, median of the last %d steps, ms%n", steps - steps / 2);
    System.out.printf("  poll only                                %7.1f%n", median(poll));
    System.out.printf("  ours, publish API: poll + encode + gzip  %7.1f   JSON %7.1f%n", median(publish), median(publishJson));
    System.out.printf("  ours, aggregator:  poll + encode + gzip  %7.1f   JSON %7.1f%n", median(aggregator), median(aggregatorJson));
    System.out.printf("  AtlasRegistry.sendToAtlas (Smile + gzip) %7.1f   %.2f bytes per measurement%n", median(atlasStep),
        (double) atlas.publisher.lastBytes / atlas.publisher.lastMeasurements);
    System.out.printf("on %d threads (ours: the calling thread and a pool; AtlasRegistry: a pool, as its sender pool)%n",
        PublishStepBenchmark.THREADS);
    System.out.printf("  ours, publish API: poll + encode + gzip  %7.1f   JSON %7.1f%n", median(publishParallel),
        median(publishJsonParallel));
    System.out.printf("  ours, aggregator:  poll + encode + gzip  %7.1f   JSON %7.1f%n", median(aggregatorParallel),
        median(aggregatorJsonParallel));
    System.out.printf("  AtlasRegistry.sendToAtlas (Smile + gzip) %7.1f%n", median(atlasParallelStep));
    deflateOnly("publish API, Smile", publishBatches, steps);
    deflateOnly("publish API, JSON", publishJsonBatches, steps);
    deflateOnly("aggregator, Smile", aggregatorBatches, steps);
    deflateOnly("aggregator, JSON", aggregatorJsonBatches, steps);
  }

  /** Nanoseconds of one step of ours: record, then time poll + encode + gzip. */
  private static long time(PublishStepBenchmark.StepRegistryState ours, Object encoder) throws Throwable {
    ours.recordOneStep();
    long t0 = System.nanoTime();
    ours.step(encoder);
    return System.nanoTime() - t0;
  }

  /** Nanoseconds of one step of {@code AtlasRegistry}: record, then time {@code sendToAtlas}. */
  private static long time(PublishStepBenchmark.AtlasRegistryState atlas) throws Throwable {
    atlas.recordOneStep();
    long t0 = System.nanoTime();
    atlas.sendToAtlas.invokeExact(atlas.registry);
    return System.nanoTime() - t0;
  }

  /** Deflates the gunzipped bodies again at each level. */
  private static void deflateOnly(String format, List<?> batches, int steps) throws ReflectiveOperationException, IOException {
    List<byte[]> plain = new ArrayList<>();
    long gzipped = 0;
    long plainBytes = 0;
    int measurements = 0;
    for (Object batch : batches) {
      byte[] body = (byte[]) accessor(batch, "body").invoke(batch);
      gzipped += body.length;
      measurements += (int) accessor(batch, "size").invoke(batch);
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        byte[] text = in.readAllBytes();
        plain.add(text);
        plainBytes += text.length;
      }
    }
    System.out.printf("%s: %,d bytes before gzip (%.1f per measurement), %.2f bytes on the wire per measurement%n",
        format, plainBytes, (double) plainBytes / measurements, (double) gzipped / measurements);
    byte[] out = new byte[64 * 1024];
    for (int level : LEVELS) {
      Deflater deflater = new Deflater(level, true);
      long[] size = new long[1];
      double ms = time(steps, () -> {
        size[0] = 0;
        for (byte[] text : plain) {
          deflater.reset();
          for (int off = 0; off < text.length; off += 32 * 1024) {
            deflater.setInput(text, off, Math.min(32 * 1024, text.length - off));
            while (!deflater.needsInput()) {
              size[0] += deflater.deflate(out);
            }
          }
          deflater.finish();
          while (!deflater.finished()) {
            size[0] += deflater.deflate(out);
          }
        }
        return size[0];
      });
      deflater.end();
      // gzip adds 18 bytes of header and trailer per body
      System.out.printf("  deflate only, level %d: %6.1f ms, %.2f bytes on the wire per measurement%n",
          level, ms, (size[0] + 18.0 * plain.size()) / measurements);
    }
    CRC32 crc = new CRC32();
    System.out.printf("  CRC-32 only: %.1f ms%n", time(steps, () -> {
      crc.reset();
      for (byte[] text : plain) {
        crc.update(text, 0, text.length);
      }
      return crc.getValue();
    }));
  }

  private static double time(int steps, LongSupplier work) {
    long[] t = new long[steps];
    long sink = 0;
    for (int i = 0; i < steps; i++) {
      long t0 = System.nanoTime();
      sink += work.getAsLong();
      t[i] = System.nanoTime() - t0;
    }
    if (sink == 42) {
      System.out.print("");
    }
    return median(t);
  }

  private static Method accessor(Object record, String name) throws NoSuchMethodException {
    Method m = record.getClass().getDeclaredMethod(name);
    m.setAccessible(true);
    return m;
  }

  /** Median of the second half, in milliseconds. */
  private static double median(long[] nanos) {
    long[] tail = java.util.Arrays.copyOfRange(nanos, nanos.length / 2, nanos.length);
    java.util.Arrays.sort(tail);
    return tail[tail.length / 2] / 1e6;
  }
}
