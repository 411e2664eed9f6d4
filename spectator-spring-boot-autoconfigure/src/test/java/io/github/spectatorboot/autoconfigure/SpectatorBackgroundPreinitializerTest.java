package io.github.spectatorboot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.io.support.SpringFactoriesLoader;

class SpectatorBackgroundPreinitializerTest {

  @Test
  void bootFindsThePreinitializer() {
    List<BackgroundPreinitializer> found = SpringFactoriesLoader.forDefaultResourceLocation()
        .load(BackgroundPreinitializer.class);

    assertThat(found).hasAtLeastOneElementOfType(SpectatorBackgroundPreinitializer.class);
  }

  @Test
  void nearlyEveryListedClassExistsSoTheListHasNotGoneStale() throws Exception {
    long listed;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(SpectatorBackgroundPreinitializer.CLASSES)) {
      assertThat(in).as(SpectatorBackgroundPreinitializer.CLASSES).isNotNull();
      listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    }

    int linked = new SpectatorBackgroundPreinitializer().preinitializeAll();

    assertThat(listed).isGreaterThan(100);
    assertThat(linked).as("classes found of %d listed: if this fails, run benchmarks/preinitialized-classes.sh", listed)
        .isGreaterThanOrEqualTo((int) (listed * 0.9));
  }

  @Test
  void classesOfAMissingOptionalDependencyAreSkippedQuietly() throws Exception {
    FilteredClassLoader withoutMicrometer = new FilteredClassLoader("io.micrometer.", "io.github.spectatorboot.micrometer.");
    int all = new SpectatorBackgroundPreinitializer().preinitializeAll();

    int linked = new SpectatorBackgroundPreinitializer(withoutMicrometer).preinitializeAll();

    assertThat(linked).isPositive().isLessThan(all);
  }

  @Test
  void aListedClassIsLoadedButItsStaticInitializerDoesNotRun() throws Exception {
    ClassLoader listingTheProbe = new ClassLoader(getClass().getClassLoader()) {
      @Override public InputStream getResourceAsStream(String name) {
        return name.equals(SpectatorBackgroundPreinitializer.CLASSES)
            ? new ByteArrayInputStream(("# a comment\n\n" + Probe.class.getName() + "\nno.such.Type\n").getBytes(StandardCharsets.UTF_8))
            : super.getResourceAsStream(name);
      }
    };

    int linked = new SpectatorBackgroundPreinitializer(listingTheProbe).preinitializeAll();

    assertThat(linked).isOne();
    assertThat(ProbeState.initialized).as("Probe's static initializer ran").isFalse();
  }

  /** Written by {@link Probe}'s static initializer, read without touching {@code Probe}. */
  static final class ProbeState {
    static volatile boolean initialized;
  }

  static final class Probe {
    static {
      ProbeState.initialized = true;
    }
  }
}
