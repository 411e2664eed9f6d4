package io.github.spectatorboot.lwc;

import java.util.List;

/**
 * What the LWC streamer is doing, for {@code /actuator/spectator} and the health contributor.
 *
 * @param running whether the streamer has been started and not closed
 * @param configUri where subscriptions are fetched
 * @param evalUri where results are posted
 * @param stepMillis the LWC step
 * @param lastFetch outcome of the last fetch: {@code none} before the first, {@code ok},
 *     {@code not-modified}, or {@code failed: <reason>}
 * @param lastFetchTime end of the last fetch in epoch milliseconds, 0 before the first
 * @param etag the ETag of the last good expressions list, or {@code null}
 * @param subscriptions the subscriptions in effect
 * @param lastEvalTimestamp end of the last evaluated LWC step, 0 before the first
 * @param lastEvalMetrics values produced by the last evaluation
 * @param sent values posted successfully since start
 * @param dropped values whose POST failed since start
 * @param lastError the last POST failure, or {@code null}
 */
public record LwcStatus(boolean running, String configUri, String evalUri, long stepMillis, String lastFetch,
    long lastFetchTime, String etag, List<Subscribed> subscriptions, long lastEvalTimestamp, int lastEvalMetrics,
    long sent, long dropped, String lastError) {

  /**
   * One subscription in effect.
   *
   * @param id the id lwcapi gave it, echoed in the results
   * @param expression the data expression
   * @param frequency its step in milliseconds
   */
  public record Subscribed(String id, String expression, long frequency) {}
}
