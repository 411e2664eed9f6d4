package io.github.spectatorboot.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;

/**
 * Loads and links the classes the starter's beans need, on Boot's {@code background-preinit}
 * thread while the main thread prepares the context: the way Boot's own modules (Jackson, Tomcat,
 * the message converters) take their first-use cost off the application's start-up.
 *
 * <p>Class loading is nearly all of what the starter's beans cost at start-up (about 170 classes
 * of the starter, Spectator, Micrometer and Spring, 0.2 to 0.3 ms each). The list,
 * {@value #CLASSES}, is what {@code benchmarks/preinitialized-classes.sh} saw the JVM load during
 * the starter's bean steps; a class it names that is not on the class path (an optional dependency
 * the application does not have) is skipped. The CPU time is the same, spent on another core:
 * Boot runs its preinitializers only with more than one processor, never in a native image, and
 * not with the system property {@code spring.backgroundpreinitializer.ignore=true}.
 *
 * <p>Classes are loaded and linked (verified) but not initialized: no static initializer runs on
 * this thread, so none can wait on a class the main thread is initializing.
 */
public final class SpectatorBackgroundPreinitializer implements BackgroundPreinitializer {

  /** The resource listing the classes, one binary name per line, {@code #} comments. */
  static final String CLASSES = "META-INF/spectator/preinitialized-classes";

  private final ClassLoader classLoader;

  /** Loads through the class loader that loaded the starter. */
  public SpectatorBackgroundPreinitializer() {
    this(SpectatorBackgroundPreinitializer.class.getClassLoader());
  }

  SpectatorBackgroundPreinitializer(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override public void preinitialize() throws IOException {
    preinitializeAll();
  }

  /** Loads and links each listed class that is on the class path; returns how many were. */
  int preinitializeAll() throws IOException {
    int linked = 0;
    try (InputStream in = classLoader.getResourceAsStream(CLASSES)) {
      if (in == null) {
        return 0;
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#") && link(name)) {
          linked++;
        }
      }
    }
    return linked;
  }

  private boolean link(String name) {
    try {
      // HotSpot links (verifies) a class before listing its constructors; nothing is initialized
      Class.forName(name, false, classLoader).getDeclaredConstructors();
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false; // not on this class path, or one of its dependencies is not
    }
  }
}
