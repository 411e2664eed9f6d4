package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.impl.AsciiSet;
import io.github.spectatorboot.registry.AtlasNames;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Checks {@link SpectatorProperties} against what the starter and Atlas accept. Atlas's rules for
 * tags: characters {@code -._A-Za-z0-9~^}, keys of 2 to 60 characters, values of 1 to 120,
 * {@code nf.*} keys from a fixed list, {@code atlas.*} keys reserved.
 */
final class SpectatorPropertiesValidator {

  /** The nf.* tag keys Atlas accepts. */
  static final Set<String> NF_KEYS = Set.of("nf.account", "nf.ami", "nf.app", "nf.asg",
      "nf.cluster", "nf.container", "nf.country", "nf.country.rollup", "nf.job", "nf.node",
      "nf.process", "nf.region", "nf.shard1", "nf.shard2", "nf.stack", "nf.subnet", "nf.task",
      "nf.vmtype", "nf.vpc", "nf.zone");

  private static final AsciiSet VALID_CHARACTERS = AsciiSet.fromPattern(AtlasNames.VALID_TAG_CHARACTERS);

  private SpectatorPropertiesValidator() {}

  static void validate(SpectatorProperties p) {
    URI uri = p.getUri();
    if (uri == null || uri.getScheme() == null
        || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null) {
      throw new InvalidSpectatorPropertyException("spectator.uri", uri, "the publisher needs an absolute http or https URI",
          "Set spectator.uri to the Atlas publish endpoint, such as http://localhost:7101/api/v1/publish, "
              + "or to an aggregator, such as http://atlas-aggregator:7101/api/v4/update.");
    }
    Duration step = p.resolvedStep();
    if (step.isNegative() || step.isZero()) {
      throw new InvalidSpectatorPropertyException("spectator.step", step, "the step must be positive",
          "Set spectator.step to a whole number of seconds, such as 1m for the publish API or 5s for the aggregator, "
              + "or remove it to use the default of the format.");
    }
    if (step.getNano() != 0) {
      throw new InvalidSpectatorPropertyException("spectator.step", step, "Atlas steps are whole numbers of seconds",
          "Set spectator.step to a whole number of seconds, such as 5s, 10s or 1m.");
    }
    positive("spectator.batch-size", p.getBatchSize(),
        "Set spectator.batch-size to the number of measurements per request, such as 10000 (the default).");
    positive("spectator.num-threads", p.getNumThreads(),
        "Set spectator.num-threads to the number of requests allowed in flight, such as 4 (the default).");
    positive("spectator.max-meters", p.getMaxMeters(),
        "Set spectator.max-meters to the most meters the registry may hold, such as 100000 (the default).");
    positive("spectator.connect-timeout", p.getConnectTimeout(), "Set spectator.connect-timeout to a duration such as 1s.");
    positive("spectator.read-timeout", p.getReadTimeout(), "Set spectator.read-timeout to a duration such as 10s.");
    positive("spectator.meter-ttl", p.getMeterTtl(), "Set spectator.meter-ttl to a duration such as 15m.");
    positive("spectator.shutdown-timeout", p.getShutdownTimeout(), "Set spectator.shutdown-timeout to a duration such as 5s.");
    notNegative("spectator.history.steps", p.getHistory().getSteps(),
        "Set spectator.history.steps to the number of steps the endpoint's graphs show, such as 60 (the default), or 0 to keep none.");
    notNegative("spectator.history.max-series", p.getHistory().getMaxSeries(),
        "Set spectator.history.max-series to the most series the endpoint's graphs keep, such as 3000 (the default).");
    Duration sendOffset = p.getPublish().getSendOffset();
    if (sendOffset != null && (sendOffset.isNegative() || sendOffset.compareTo(step) >= 0)) {
      throw new InvalidSpectatorPropertyException("spectator.publish.send-offset", sendOffset,
          "the send offset must be at least 0 and less than the step (" + step + ")",
          "Set spectator.publish.send-offset to a time within the step, such as 30s for a 1m step, "
              + "or remove it so that each instance takes an offset of its own within the middle 80% of the step.");
    }
    for (Map.Entry<String, String> tag : p.getCommonTags().entrySet()) {
      validateCommonTag(tag.getKey(), tag.getValue());
    }
    if (p.getLwc().isEnabled()) {
      validateLwc(p.getLwc(), step);
    }
    for (Map.Entry<String, Integer> limit : p.getIpc().getCardinalityLimit().entrySet()) {
      Integer value = limit.getValue();
      positive("spectator.ipc.cardinality-limit." + limit.getKey(), value == null ? 0 : value,
          "Set it to the most distinct values to keep for that tag key, such as 25 (spectator-ext-ipc's default), "
              + "or remove it.");
    }
  }

  private static void validateCommonTag(String key, String value) {
    String keyProblem = null;
    if (key.length() < 2 || key.length() > 60) {
      keyProblem = "Atlas accepts tag keys of 2 to 60 characters";
    } else if (!validCharacters(key)) {
      keyProblem = "Atlas accepts only the characters " + AtlasNames.VALID_TAG_CHARACTERS + " in tag keys";
    } else if (key.startsWith("atlas.") || AtlasNames.NAME.equals(key) || AtlasNames.STATISTIC.equals(key)) {
      keyProblem = "the key '" + key + "' is reserved for Atlas and Spectator";
    } else if (key.startsWith("nf.") && !NF_KEYS.contains(key)) {
      keyProblem = "Atlas accepts only these nf.* keys: " + String.join(", ", new java.util.TreeSet<>(NF_KEYS));
    }
    String valueProblem = null;
    if (value == null || value.isEmpty() || value.length() > 120) {
      valueProblem = "Atlas accepts tag values of 1 to 120 characters";
    } else if (!validCharacters(value)) {
      valueProblem = "Atlas accepts only the characters " + AtlasNames.VALID_TAG_CHARACTERS + " in tag values";
    }
    if (keyProblem != null || valueProblem != null) {
      String property = "spectator.common-tags." + key;
      String fix = "Change or remove spectator.common-tags." + key + ": use a key of 2 to 60 and a value of 1 to 120 "
          + "of the characters " + AtlasNames.VALID_TAG_CHARACTERS + ", for example nf.app: my-service.";
      throw keyProblem != null
          ? new InvalidSpectatorPropertyException(property, "key", key, keyProblem, fix)
          : new InvalidSpectatorPropertyException(property, value, valueProblem, fix);
    }
  }

  private static void validateLwc(SpectatorLwcProperties lwc, Duration publishStep) {
    // the default class loader (the thread's context loader) is the application's
    if (!org.springframework.util.ClassUtils.isPresent("com.netflix.spectator.atlas.impl.Evaluator", null)) {
      throw new InvalidSpectatorPropertyException("spectator.lwc.enabled", true,
          "streaming evaluates expressions with Spectator's own evaluator, which is not on the class path",
          "Add the dependency com.netflix.spectator:spectator-reg-atlas (the version of spectator-api) "
              + "or set spectator.lwc.enabled=false.");
    }
    Duration step = lwc.getStep();
    if (step == null || step.isNegative() || step.isZero() || step.getNano() != 0
        || publishStep.toMillis() % step.toMillis() != 0) {
      throw new InvalidSpectatorPropertyException("spectator.lwc.step", step,
          "the LWC step must be a whole number of seconds that divides spectator.step (" + publishStep + ")",
          "Set spectator.lwc.step to 5s (the default), or to another divisor of spectator.step such as 10s.");
    }
    positive("spectator.lwc.refresh-frequency", lwc.getRefreshFrequency(),
        "Set spectator.lwc.refresh-frequency to a duration such as 10s (the default).");
    httpUri("spectator.lwc.config-uri", lwc.getConfigUri(),
        "Set spectator.lwc.config-uri to the lwcapi expressions route, such as "
            + "http://lwcapi:7101/lwc/api/v1/expressions/my-app-main, or remove it to derive it from spectator.uri.");
    httpUri("spectator.lwc.eval-uri", lwc.getEvalUri(),
        "Set spectator.lwc.eval-uri to the lwcapi evaluate route, such as http://lwcapi:7101/lwc/api/v1/evaluate, "
            + "or remove it to derive it from spectator.uri.");
  }

  /** An unset URI is fine (a default applies); a set one must be absolute http(s) with a host. */
  private static void httpUri(String property, URI uri, String fix) {
    if (uri != null && (uri.getScheme() == null || uri.getHost() == null
        || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())))) {
      throw new InvalidSpectatorPropertyException(property, uri, "it must be an absolute http or https URI", fix);
    }
  }

  private static boolean validCharacters(String s) {
    return VALID_CHARACTERS.containsAll(s);
  }

  private static void positive(String property, int value, String fix) {
    if (value <= 0) {
      throw new InvalidSpectatorPropertyException(property, value, "it must be greater than 0", fix);
    }
  }

  private static void positive(String property, Duration value, String fix) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new InvalidSpectatorPropertyException(property, value, "it must be a positive duration", fix);
    }
  }

  private static void notNegative(String property, int value, String fix) {
    if (value < 0) {
      throw new InvalidSpectatorPropertyException(property, value, "it must not be negative", fix);
    }
  }
}
