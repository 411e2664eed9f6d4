package io.github.spectatorboot.benchmarks;

import io.github.spectatorboot.actuate.StepHistory;
import io.github.spectatorboot.registry.StepSnapshot;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap of the endpoint's history per series, walked with JOL: a history of 60 steps holding the
 * 3,000 series (count, totalTime, max) of 1,000 timers after 60 steps, minus an empty one, divided
 * by 3,000. Reported with and without the meters' ids, which the registry holds anyway while the
 * meters live; the history keeps an id alive only until its series has been empty for 60 steps.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.github.spectatorboot.benchmarks.HistoryHeap}
 */
public final class HistoryHeap {

  static {
    System.setProperty("jol.magicFieldOffset", "true");
  }

  private HistoryHeap() {}

  public static void main(String[] args) {
    int timers = 1_000;
    int steps = 60;
    StepSnapshot snapshot = HistoryBenchmark.timersStep(timers);
    StepHistory empty = new StepHistory(steps, 3_000);
    StepHistory full = new StepHistory(steps, 3_000);
    for (int i = 0; i < steps; i++) {
      full.accept(snapshot);
    }
    int series = full.seriesCount();
    GraphLayout all = GraphLayout.parseInstance(full);
    long ids = 0;
    for (int i = 0; i < snapshot.size(); i++) {
      if (snapshot.statistic(i).equals("count")) {
        ids += GraphLayout.parseInstance(snapshot.id(i)).totalSize();
      }
    }
    long base = GraphLayout.parseInstance(empty).totalSize();
    double withIds = (all.totalSize() - base) / (double) series;
    double withoutIds = (all.totalSize() - base - ids) / (double) series;
    System.out.printf(Locale.ROOT, "history of %d steps, %d series: %.0f bytes per series with the ids, %.0f without;"
        + " %d series fit in 2 MB (with ids)%n", steps, series, withIds, withoutIds, (long) (2_000_000 / withIds));
  }
}
