package io.github.spectatorboot.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;

/**
 * Names and tags as Micrometer's instrumentation gives them ({@code http.server.requests},
 * {@code uri}), so that dashboards written for Spring Boot's meters work; only the tag keys Atlas
 * reserves for itself are renamed, {@code name} to {@code name.tag} and {@code statistic} to
 * {@code statistic.tag}, as Micrometer's Atlas registry does. Characters Atlas rejects are
 * replaced by the Spectator registry.
 *
 * <p>Micrometer's Atlas registry also turns tag keys into camel case; this one does not, so that
 * keys such as {@code nf.app} keep the spelling Atlas gives them a meaning by.
 */
final class AtlasNamingConvention implements NamingConvention {

  @Override public String name(String name, Meter.Type type, String baseUnit) {
    return name;
  }

  @Override public String tagKey(String key) {
    return switch (key) {
      case "name" -> "name.tag";
      case SpectatorStatistics.STATISTIC -> "statistic.tag";
      default -> key;
    };
  }
}
