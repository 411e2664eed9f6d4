package io.github.spectatorboot.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the whole suite in one go (JMH with the GC profiler for bytes per operation, then the heap
 * per meter) and prints a Markdown table comparing our registry with {@code AtlasRegistry} and
 * Micrometer, with the ratios and targets of the issue.
 *
 * <p>Arguments: an optional JMH include regex (default: the registry benchmarks), {@code --no-jmh},
 * {@code --no-heap} and {@code --no-check} to skip the JMH benchmarks, the heap measurement or the
 * workload check.
 */
public final class BenchmarkMain {

  private static final String PACKAGE = BenchmarkMain.class.getPackageName();
  private static final String ALLOCATION = "gc.alloc.rate.norm";

  /** A line of the table: a benchmark method and the target it has against {@code AtlasRegistry}. */
  private record Row(String method, String label, double minSpeedup, boolean zeroAllocation, boolean halfAllocation) {

    String target() {
      List<String> parts = new ArrayList<>();
      if (minSpeedup > 0) {
        parts.add(String.format(Locale.ROOT, "≥ %.0f×", minSpeedup));
      }
      if (zeroAllocation) {
        parts.add("0 B/op");
      }
      if (halfAllocation) {
        parts.add("≤ ½ Atlas B/op");
      }
      return String.join(", ", parts);
    }
  }

  private static final List<Row> ROWS = List.of(
      new Row("RecordBenchmark.counterIncrement", "counter increment", 5, true, false),
      new Row("RecordBenchmark.counterIncrementTwoThreads", "counter increment, 2 threads (per thread)", 5, false, false),
      new Row("RecordBenchmark.timerRecord", "timer record", 5, true, false),
      new Row("RecordBenchmark.timerRecordTwoThreads", "timer record, 2 threads (per thread)", 0, false, false),
      new Row("RecordBenchmark.summaryRecord", "distribution summary record", 5, true, false),
      new Row("LookupBenchmark.lookupFixedId", "`counter(name, k, v).increment()`, fixed id", 2, false, false),
      new Row("LookupBenchmark.lookupThousandIds", "`counter(name, k, v).increment()`, 1,000 ids", 0, false, false),
      new Row("PollBenchmark.pollCounters", "poll 100,000 counters", 0, false, false),
      new Row("PollBenchmark.pollTimers", "poll 100,000 timers", 3, false, true));

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    // the registry suite; PublishStepBenchmark and TimedAspectBenchmark run by name (see README)
    String include = PACKAGE.replace(".", "\\.") + "\\.(Record|Lookup|Poll)Benchmark\\..*";
    boolean jmh = true;
    boolean heap = true;
    boolean check = true;
    for (String arg : args) {
      switch (arg) {
        case "--no-jmh" -> jmh = false;
        case "--no-heap" -> heap = false;
        case "--no-check" -> check = false;
        default -> include = arg;
      }
    }

    List<String> workloads = check ? WorkloadCheck.run(PollBenchmark.METERS) : List.of();
    workloads.forEach(line -> System.out.println("# workload: " + line));

    Options options = new OptionsBuilder()
        .include(include)
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = jmh ? new Runner(options).run() : List.of();

    List<HeapPerMeter.Result> heapResults = new ArrayList<>();
    if (heap) {
      for (String meter : List.of("counter", "timer")) {
        for (String registry : Contender.ALL) {
          heapResults.add(HeapPerMeter.measure(registry, meter));
        }
      }
    }

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.println();
    System.out.println(report(results, heapResults, workloads));
    System.out.printf(Locale.ROOT, "Run took %d min %02d s on %d cores, %s %s.%n", took.toMinutes(),
        took.toSecondsPart(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
  }

  private static String report(Collection<RunResult> results, List<HeapPerMeter.Result> heap, List<String> workloads) {
    Map<String, RunResult> byKey = new HashMap<>();
    for (RunResult r : results) {
      String benchmark = r.getParams().getBenchmark().substring(PACKAGE.length() + 1);
      byKey.put(benchmark + "/" + r.getParams().getParam("registry"), r);
    }
    var out = new StringBuilder();
    out.append("| benchmark | unit | StepRegistry (ours) | B/op | AtlasRegistry | B/op | Micrometer step | B/op "
        + "| Atlas / ours | target | met |\n");
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
    for (Row row : ROWS) {
      RunResult ours = byKey.get(row.method() + "/" + Contender.STEP);
      RunResult atlas = byKey.get(row.method() + "/" + Contender.ATLAS);
      RunResult micrometer = byKey.get(row.method() + "/" + Contender.MICROMETER);
      if (ours == null && atlas == null && micrometer == null) {
        continue;
      }
      RunResult any = ours != null ? ours : atlas != null ? atlas : micrometer;
      out.append("| ").append(row.label())
          .append(" | ").append(any.getPrimaryResult().getScoreUnit())
          .append(" | ").append(score(ours)).append(" | ").append(bytes(ours))
          .append(" | ").append(score(atlas)).append(" | ").append(bytes(atlas))
          .append(" | ").append(score(micrometer)).append(" | ").append(bytes(micrometer))
          .append(" | ").append(speedup(atlas, ours))
          .append(" | ").append(row.target())
          .append(" | ").append(met(row, ours, atlas))
          .append(" |\n");
    }
    if (!heap.isEmpty()) {
      out.append("\n| heap per meter (100,000 meters) | StepRegistry (ours) | AtlasRegistry | Micrometer step "
          + "| Atlas / ours | target | met |\n");
      out.append("| --- | ---: | ---: | ---: | ---: | --- | --- |\n");
      for (String meter : List.of("counter", "timer")) {
        for (boolean steady : new boolean[] {false, true}) {
          double ours = heapBytes(heap, Contender.STEP, meter, steady);
          double atlas = heapBytes(heap, Contender.ATLAS, meter, steady);
          double micrometer = heapBytes(heap, Contender.MICROMETER, meter, steady);
          out.append(String.format(Locale.ROOT, "| %s, %s | %.0f B | %.0f B | %.0f B | %.2f× | ≤ Atlas | %s |%n",
              meter, steady ? "after two polled steps" : "created and updated once",
              ours, atlas, micrometer, atlas / ours, ours <= atlas ? "yes" : "**no**"));
        }
      }
    }
    if (!workloads.isEmpty()) {
      out.append("\nValues per poll: ").append(String.join("; ", workloads)).append(".\n");
    }
    return out.toString();
  }

  private static double heapBytes(List<HeapPerMeter.Result> heap, String registry, String meter, boolean steady) {
    for (HeapPerMeter.Result r : heap) {
      if (r.registry().equals(registry) && r.meter().equals(meter)) {
        return steady ? r.steadyBytes() : r.createdBytes();
      }
    }
    return Double.NaN;
  }

  private static String score(RunResult r) {
    if (r == null) {
      return "–";
    }
    Result<?> p = r.getPrimaryResult();
    return number(p.getScore()) + " ± " + number(p.getScoreError());
  }

  private static String bytes(RunResult r) {
    double b = allocation(r);
    return Double.isNaN(b) ? "–" : b < 0.5 ? "0" : String.format(Locale.ROOT, "%,.0f", b);
  }

  private static double allocation(RunResult r) {
    if (r == null) {
      return Double.NaN;
    }
    Result<?> a = r.getSecondaryResults().get(ALLOCATION);
    return a == null ? Double.NaN : a.getScore();
  }

  private static String speedup(RunResult atlas, RunResult ours) {
    if (atlas == null || ours == null) {
      return "–";
    }
    // two decimals: a ratio of 4.96 must not read as 5.0 against a target of 5
    return String.format(Locale.ROOT, "%.2f×", ratio(atlas, ours));
  }

  private static double ratio(RunResult atlas, RunResult ours) {
    return atlas.getPrimaryResult().getScore() / ours.getPrimaryResult().getScore();
  }

  private static String met(Row row, RunResult ours, RunResult atlas) {
    if (row.target().isEmpty()) {
      return "";
    }
    if (ours == null || atlas == null) {
      return "–";
    }
    boolean met = ratio(atlas, ours) >= row.minSpeedup()
        && (!row.zeroAllocation() || allocation(ours) < 0.5)
        && (!row.halfAllocation() || allocation(ours) <= allocation(atlas) / 2);
    return met ? "yes" : "**no**";
  }

  private static String number(double d) {
    if (Double.isNaN(d)) {
      return "?";
    }
    double abs = Math.abs(d);
    String pattern = abs >= 100 ? "%,.0f" : abs >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, pattern, d);
  }
}
