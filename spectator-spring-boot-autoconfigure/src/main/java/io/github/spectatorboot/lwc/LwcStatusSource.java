package io.github.spectatorboot.lwc;

/**
 * Gives the LWC streamer's state without naming the streamer, whose class needs
 * {@code spectator-reg-atlas}: the endpoint and the health contributor depend on this only.
 */
@FunctionalInterface
public interface LwcStatusSource {

  /** What the streamer is doing now. */
  LwcStatus lwcStatus();
}
