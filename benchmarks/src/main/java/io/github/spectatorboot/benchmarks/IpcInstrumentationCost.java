package io.github.spectatorboot.benchmarks;

import io.github.spectatorboot.benchmarks.IpcInstrumentationBenchmark.Server;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The rows of {@link IpcInstrumentationBenchmark}, measured so that a loaded machine does not
 * swamp differences of a microsecond: the rows take turns in short slices (a new random order
 * every round), each slice is timed by the thread's own CPU time (time the thread spent
 * descheduled while other processes ran is not counted) and its allocation by the thread's
 * allocated-bytes counter, and each figure is the median over the rounds, with the 25th and
 * 75th percentiles. What a row adds is computed per round against that round's {@code none}, so
 * a slow round slows both sides of the difference. JMH's wall-clock figures of the same rows are
 * the cross-check.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.github.spectatorboot.benchmarks.IpcInstrumentationCost [rounds]}.
 */
public final class IpcInstrumentationCost {

  private static final int OPS_PER_SLICE = 10_000;
  private static final int WARMUP_OPS = 300_000;

  private IpcInstrumentationCost() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 41;
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.printf(Locale.ROOT, "# %d rounds of %,d requests per row, CPU time of this thread; load average %.2f%n",
        rounds, OPS_PER_SLICE, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (String stack : List.of("webflux", "mvc")) {
      IpcInstrumentationBenchmark state = new IpcInstrumentationBenchmark();
      state.stack = stack;
      state.setUp();
      Map<String, Server> rows = state.rows();
      for (Server server : rows.values()) {
        for (int i = 0; i < WARMUP_OPS; i++) {
          server.serve();
        }
      }

      Map<String, double[]> cpu = new LinkedHashMap<>();
      Map<String, double[]> bytes = new LinkedHashMap<>();
      rows.keySet().forEach(row -> {
        cpu.put(row, new double[rounds]);
        bytes.put(row, new double[rounds]);
      });
      List<String> order = new ArrayList<>(rows.keySet());
      Random random = new Random(42);
      int sink = 0;
      for (int round = 0; round < rounds; round++) {
        Collections.shuffle(order, random);
        for (String row : order) {
          Server server = rows.get(row);
          long allocated = threads.getCurrentThreadAllocatedBytes();
          long started = threads.getCurrentThreadCpuTime();
          for (int i = 0; i < OPS_PER_SLICE; i++) {
            sink += server.serve();
          }
          long elapsed = threads.getCurrentThreadCpuTime() - started;
          cpu.get(row)[round] = (double) elapsed / OPS_PER_SLICE;
          bytes.get(row)[round] = (double) (threads.getCurrentThreadAllocatedBytes() - allocated) / OPS_PER_SLICE;
        }
      }
      if (sink == 0) {
        throw new IllegalStateException("no request was served");
      }

      System.out.printf(Locale.ROOT, "%n## %s%n%n", stack);
      System.out.println("| row | CPU ns/request (p25-p75) | added over none, ns (p25-p75) | B/request | added B |");
      System.out.println("| --- | ---: | ---: | ---: | ---: |");
      double[] none = cpu.get("none");
      double noneBytes = median(bytes.get("none"));
      for (String row : rows.keySet()) {
        double[] times = cpu.get(row);
        double[] added = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          added[r] = times[r] - none[r];
        }
        double b = median(bytes.get(row));
        System.out.printf(Locale.ROOT, "| `%s` | %,.0f (%,.0f-%,.0f) | %s | %,.0f | %s |%n", row, median(times),
            percentile(times, 25), percentile(times, 75),
            "none".equals(row) ? "" : String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", median(added),
                percentile(added, 25), percentile(added, 75)),
            b, "none".equals(row) ? "" : String.format(Locale.ROOT, "%,.0f", b - noneBytes));
      }
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = (cpu.get("ipc")[r] - none[r]) / (cpu.get("micrometer")[r] - none[r]);
      }
      System.out.printf(Locale.ROOT, "%nipc added / micrometer added, per round: median %.2f (p25 %.2f, p75 %.2f); "
              + "bytes: %.2f%n", median(ratio), percentile(ratio, 25), percentile(ratio, 75),
          (median(bytes.get("ipc")) - noneBytes) / (median(bytes.get("micrometer")) - noneBytes));
      state.checkEveryRowRecorded();
    }
  }

  private static double median(double[] values) {
    return percentile(values, 50);
  }

  /** Nearest-rank percentile. */
  private static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
