package io.github.spectatorboot.registry;

import com.netflix.spectator.api.Meter;
import com.netflix.spectator.impl.SwapMeter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Base of the batch updaters: a flush goes to the meter registered for the id at the time of the
 * flush, not to the one the updater was made from, which may have expired and been removed since
 * (as Spectator's {@code AtlasCounterBatchUpdater} and the like look theirs up).
 *
 * <p>The registry's handles ({@code SwapCounter} and the like) hand the updater their own lookup
 * through {@link #accept}; an updater made from a meter directly looks the id up again once that
 * meter has expired. Like Spectator's, a batch updater is for one thread.
 */
abstract class StepBatchUpdater implements Consumer<Supplier<? extends Meter>> {

  private final StepMeter origin;
  private Supplier<? extends Meter> live;

  StepBatchUpdater(StepMeter origin) {
    this.origin = origin;
  }

  /** Called by the registry's handle with its own lookup of the live meter. */
  @Override public final void accept(Supplier<? extends Meter> liveMeter) {
    this.live = liveMeter;
  }

  /** The meter a flush goes to now, unwrapped from the registry's handle. */
  final Meter target() {
    Meter m;
    if (live != null) {
      m = live.get();
    } else {
      m = origin.hasExpired() ? origin.lookupLive() : origin;
    }
    return m instanceof SwapMeter<?> swap ? swap.get() : m;
  }
}
