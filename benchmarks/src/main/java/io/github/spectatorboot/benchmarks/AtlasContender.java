package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.atlas.AtlasConfig;
import com.netflix.spectator.atlas.AtlasRegistry;

/**
 * Netflix's {@link AtlasRegistry}, never started: no scheduler, no network.
 *
 * <p>The lwc step is set equal to the publish step, the configuration whose semantics ours
 * matches; it is also the cheaper one for {@code AtlasRegistry}, whose default 5 s lwc step would
 * consolidate 12 intervals per published value. Its poll is {@link AtlasRegistry#measurements()}:
 * the package-private {@code pollMeters} (every meter into its consolidator), the expiry sweep and
 * {@code getBatches} (the consolidated values as measurements, through the rollup policy), that is
 * the scheduled publish task without the payload encoding and the HTTP call. {@code AtlasRegistry}
 * rolls its step values over lazily, on the first update after a boundary: when the benchmark
 * updates every meter after advancing the clock, that rollover is in the unmeasured set-up, not in
 * the poll.
 */
final class AtlasContender extends SpectatorContender {

  AtlasContender(boolean manualClock) {
    super(manualClock);
  }

  @Override Registry newRegistry(Clock clock) {
    String step = STEP_SIZE.toString();
    AtlasConfig config = k -> switch (k) {
      case "atlas.step", "atlas.lwc.step" -> step;
      default -> null; // autoStart is false unless set
    };
    return new AtlasRegistry(clock, config);
  }

  @Override void poll(PollSink sink) {
    ((AtlasRegistry) registry).measurements().forEach(m -> sink.accept(m.id(), m.value()));
  }
}
