package io.github.spectatorboot.autoconfigure;

import io.github.spectatorboot.lwc.LwcConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of Atlas LWC streaming ({@code spectator.lwc.*}), bound as part of
 * {@link SpectatorProperties}.
 *
 * <p>Off by default, as in Spectator's {@code AtlasConfig}: streaming needs an lwcapi to fetch
 * subscriptions from, and an application that has none would otherwise try a default URI every
 * ten seconds and log failures.
 */
public class SpectatorLwcProperties {

  /** Whether to stream subscribed expressions to an Atlas LWC API; needs com.netflix.spectator:spectator-reg-atlas. */
  private boolean enabled = false;

  /**
   * Where the subscribed expressions are fetched; unset, /lwc/api/v1/expressions/{nf.cluster} on
   * the host of spectator.uri (nf.app, then local-dev, when the common tags have no nf.cluster).
   */
  private URI configUri;

  /** Where the evaluated values are posted; unset, /lwc/api/v1/evaluate on the host of spectator.uri. */
  private URI evalUri;

  /** Step of the streamed values; a whole number of seconds that divides spectator.step. */
  private Duration step = Duration.ofSeconds(5);

  /** Time between the end of one fetch of the subscriptions and the next; a subscription outlives its last listing by 15 of these. */
  private Duration refreshFrequency = Duration.ofSeconds(10);

  /** Whether to drop subscriptions whose step is spectator.step: Atlas already receives those values by the publish path. */
  private boolean ignorePublishStep = true;

  /** Whether to gzip the posted results; lwcapi accepts Content-Encoding gzip. */
  private boolean compress = true;

  /** The expressions URI in force: the one set, or the default derived from spectator.uri and the common tags. */
  public URI resolvedConfigUri(URI publishUri, Map<String, String> commonTags) {
    if (configUri != null) {
      return configUri;
    }
    String cluster = commonTags.getOrDefault("nf.cluster", commonTags.getOrDefault("nf.app", "local-dev"));
    return LwcConfig.sibling(publishUri, LwcConfig.EXPRESSIONS_PATH + cluster);
  }

  /** The evaluation URI in force: the one set, or the default on the host of spectator.uri. */
  public URI resolvedEvalUri(URI publishUri) {
    return evalUri != null ? evalUri : LwcConfig.sibling(publishUri, LwcConfig.EVALUATE_PATH);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public URI getConfigUri() {
    return configUri;
  }

  public void setConfigUri(URI configUri) {
    this.configUri = configUri;
  }

  public URI getEvalUri() {
    return evalUri;
  }

  public void setEvalUri(URI evalUri) {
    this.evalUri = evalUri;
  }

  public Duration getStep() {
    return step;
  }

  public void setStep(Duration step) {
    this.step = step;
  }

  public Duration getRefreshFrequency() {
    return refreshFrequency;
  }

  public void setRefreshFrequency(Duration refreshFrequency) {
    this.refreshFrequency = refreshFrequency;
  }

  public boolean isIgnorePublishStep() {
    return ignorePublishStep;
  }

  public void setIgnorePublishStep(boolean ignorePublishStep) {
    this.ignorePublishStep = ignorePublishStep;
  }

  public boolean isCompress() {
    return compress;
  }

  public void setCompress(boolean compress) {
    this.compress = compress;
  }
}
