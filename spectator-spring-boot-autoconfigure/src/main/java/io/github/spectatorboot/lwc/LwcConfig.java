package io.github.spectatorboot.lwc;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the LWC streamer, in the library's own terms (the starter maps
 * {@code spectator.lwc.*} onto it).
 *
 * @param configUri where the subscribed expressions of this cluster are fetched
 *     ({@code GET /lwc/api/v1/expressions/{cluster}})
 * @param evalUri where the evaluated values are posted ({@code POST /lwc/api/v1/evaluate})
 * @param step the LWC step; divides {@code publishStep}
 * @param publishStep the registry's publish step
 * @param refreshFrequency time between the end of one fetch of the expressions and the next
 * @param ignorePublishStep drop subscriptions whose step is the publish step, as Atlas already
 *     receives those values through the publish path
 * @param batchSize most values per POST
 * @param connectTimeout connect timeout of each request
 * @param readTimeout read timeout of each request
 * @param compress gzip the POST bodies (lwcapi accepts {@code Content-Encoding: gzip})
 */
public record LwcConfig(URI configUri, URI evalUri, Duration step, Duration publishStep, Duration refreshFrequency,
    boolean ignorePublishStep, int batchSize, Duration connectTimeout, Duration readTimeout, boolean compress) {

  /** Path of the expressions route; the cluster follows it. */
  public static final String EXPRESSIONS_PATH = "/lwc/api/v1/expressions/";
  /** Path of the evaluation route. */
  public static final String EVALUATE_PATH = "/lwc/api/v1/evaluate";

  /** Validates the relations between the values; the starter reports the same with property names first. */
  public LwcConfig {
    Objects.requireNonNull(configUri, "configUri");
    Objects.requireNonNull(evalUri, "evalUri");
    if (step.toMillis() <= 0 || publishStep.toMillis() % step.toMillis() != 0) {
      throw new IllegalArgumentException("the LWC step " + step + " must divide the publish step " + publishStep);
    }
  }

  /** Step in milliseconds. */
  public long stepMillis() {
    return step.toMillis();
  }

  /** How long a subscription outlives the last fetch that listed it: 15 refreshes, as {@code AtlasConfig.configTTL()}. */
  public Duration subscriptionTtl() {
    return refreshFrequency.multipliedBy(15);
  }

  /**
   * The URI of {@code path} on the host of {@code base}, for example the lwcapi routes next to the
   * Atlas publish URI.
   */
  public static URI sibling(URI base, String path) {
    String port = base.getPort() < 0 ? "" : ":" + base.getPort();
    return URI.create(base.getScheme() + "://" + base.getHost() + port + path);
  }
}
