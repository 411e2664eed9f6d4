package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Clock;
import java.util.concurrent.TimeUnit;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A Spectator clock that reads the time of a {@link VirtualTimeScheduler}, so that ticks and the registry agree. */
final class VirtualClock implements Clock {

  private final VirtualTimeScheduler scheduler;

  VirtualClock(VirtualTimeScheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override public long wallTime() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  @Override public long monotonicTime() {
    return scheduler.now(TimeUnit.NANOSECONDS);
  }
}
