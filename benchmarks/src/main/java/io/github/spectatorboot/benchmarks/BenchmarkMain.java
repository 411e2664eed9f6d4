package io.github.spectatorboot.benchmarks;

/** Entry point of the benchmarks jar; replaced once the benchmarks exist. */
public final class BenchmarkMain {

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    org.openjdk.jmh.Main.main(args);
  }
}
