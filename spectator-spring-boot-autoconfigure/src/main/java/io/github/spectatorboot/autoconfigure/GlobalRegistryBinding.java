package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.api.Spectator;
import org.springframework.context.SmartLifecycle;

/**
 * Adds the registry to {@link Spectator#globalRegistry()} while the context runs, so libraries
 * instrumented against the global registry are reported with the application's meters.
 */
final class GlobalRegistryBinding implements SmartLifecycle {

  private final Registry registry;
  private volatile boolean running;

  GlobalRegistryBinding(Registry registry) {
    this.registry = registry;
  }

  @Override public void start() {
    Spectator.globalRegistry().add(registry);
    running = true;
  }

  @Override public void stop() {
    Spectator.globalRegistry().remove(registry);
    running = false;
  }

  @Override public boolean isRunning() {
    return running;
  }
}
