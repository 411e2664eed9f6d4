package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import io.github.spectatorboot.registry.StepSnapshot;

/**
 * Our {@link StepRegistry}. Its poll rolls every meter over (the swap of each accumulator is
 * inside the measured time) and builds the immutable snapshot the publisher encodes.
 */
final class StepContender extends SpectatorContender {

  StepContender(boolean manualClock) {
    super(manualClock);
  }

  @Override Registry newRegistry(Clock clock) {
    // room for the 100,000 meters of the poll and heap measurements and the registry's own
    var config = StepRegistryConfig.defaults().withStep(STEP_SIZE).withMaxMeters(1_000_000);
    return new StepRegistry(clock, config);
  }

  @Override void poll(PollSink sink) {
    StepSnapshot snapshot = ((StepRegistry) registry).poll();
    int size = snapshot.size();
    for (int i = 0; i < size; i++) {
      sink.consume(snapshot.statistic(i));
      sink.accept(snapshot.id(i), snapshot.rate(i));
    }
  }
}
