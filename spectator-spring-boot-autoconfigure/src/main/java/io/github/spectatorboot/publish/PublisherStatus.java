package io.github.spectatorboot.publish;

import java.time.Instant;

/**
 * What an {@link AtlasPublisher} has done so far: whether it is running, when it last tried and
 * last managed to publish, and how many measurements reached the backend or were lost.
 *
 * <p>Every measurement handed to the backend ends up either in {@code sent} or in
 * {@code dropped}; a step that was not sent at all because its predecessor was still in flight
 * counts once in {@code skippedSteps} and its measurements in neither.
 *
 * @param state whether the schedule is running
 * @param lastAttempt when the last publish started, or {@code null} before the first one
 * @param lastSuccess when the last publish ended with every request accepted by the backend
 *     (200, or 202 with some measurements rejected), or {@code null} if none did yet
 * @param sent measurements accepted by the backend since the publisher was created
 * @param dropped measurements lost since the publisher was created: rejected by validation,
 *     answered with an HTTP error after retries, or never answered (refused, timed out, reset)
 * @param skippedSteps steps polled but not sent because the previous step was still sending
 * @param lastError what went wrong in the last publish that lost measurements, or {@code null}
 *     when the last publish lost none
 */
public record PublisherStatus(
    State state,
    Instant lastAttempt,
    Instant lastSuccess,
    long sent,
    long dropped,
    long skippedSteps,
    String lastError) {

  /** Whether the publisher's schedule is running. */
  public enum State {
    /** Publishing every step. */
    RUNNING,
    /** Not started yet, or closed. */
    STOPPED
  }
}
