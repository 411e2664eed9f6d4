package io.github.spectatorboot.actuate;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Meter;
import com.netflix.spectator.api.Tag;
import io.github.spectatorboot.lwc.LwcStatus;
import io.github.spectatorboot.publish.PublisherStatus;
import io.github.spectatorboot.registry.AtlasNames;
import io.github.spectatorboot.registry.MeterType;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepSnapshot;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/spectator}: what the registry reports and how publishing goes.
 *
 * <p>{@code GET /actuator/spectator} gives the step, the URI, the format, the common tags, the
 * publisher's state and the sorted meter names. {@code GET /actuator/spectator/{name}?tag=key:value}
 * gives every meter of that name matching the tag filters, with its type, its full tags (common
 * tags included), its values for the last completed step and the values so far in the step in
 * progress, plus {@code availableTags} to drill down. Counting statistics are the amounts of the
 * step (divide by the step for the rate Atlas shows); {@code max} and gauges are values. Like
 * every Boot endpoint it is reachable over HTTP only when exposed with
 * {@code management.endpoints.web.exposure.include}; over HTTP,
 * {@link SpectatorWebEndpointExtension} answers browsers with a page and errors with a body.
 */
@Endpoint(id = "spectator")
public class SpectatorEndpoint {

  /** {@link MeterView#lastStepState()} of a meter with values for the last completed step. */
  public static final String LAST_STEP_COMPLETE = "complete";
  /** {@link MeterView#lastStepState()} of a meter created in the step in progress: no completed step yet. */
  public static final String LAST_STEP_PENDING = "pending";

  static final String TAG_FILTER_SYNTAX = "tag=key:value, repeated to match several tags, "
      + "as in ?tag=status:ok&tag=region:eu; common tags such as nf.app match too";

  private final StepRegistry registry;
  private final URI uri;
  private final String format;
  private final Supplier<@Nullable PublisherStatus> publisherStatus;
  private final Supplier<@Nullable LwcStatus> lwcStatus;

  /**
   * @param registry the registry to show
   * @param uri where measurements are published
   * @param format the wire format in force, {@code publish} or {@code aggregator}
   * @param publisherStatus the publisher's state, or null when publishing is disabled
   */
  public SpectatorEndpoint(StepRegistry registry, URI uri, String format,
      Supplier<@Nullable PublisherStatus> publisherStatus) {
    this(registry, uri, format, publisherStatus, () -> null);
  }

  /**
   * As {@link #SpectatorEndpoint(StepRegistry, URI, String, Supplier)}, with LWC streaming.
   *
   * @param lwcStatus the LWC streamer's state, or null when streaming is off
   */
  public SpectatorEndpoint(StepRegistry registry, URI uri, String format,
      Supplier<@Nullable PublisherStatus> publisherStatus, Supplier<@Nullable LwcStatus> lwcStatus) {
    this.registry = registry;
    this.uri = uri;
    this.format = format;
    this.publisherStatus = publisherStatus;
    this.lwcStatus = lwcStatus;
  }

  /** The registry's settings, the publisher's state and the names of the meters. */
  @ReadOperation(producesFrom = SpectatorWebEndpointExtension.Representation.class)
  public SpectatorDescriptor describe() {
    return new SpectatorDescriptor(Duration.ofMillis(registry.stepMillis()).toString(), uri, format,
        registry.commonTags(), publisherStatus.get(), lwcStatus.get(), names());
  }

  /**
   * The meters named {@code name} whose tags match every {@code key:value} filter; null (404) when
   * there is none. Over HTTP, {@link SpectatorWebEndpointExtension} answers instead, with a body
   * saying what was wrong.
   */
  @ReadOperation(producesFrom = SpectatorWebEndpointExtension.Representation.class)
  public @Nullable MeterDescriptor meter(@Selector String name, @Nullable List<String> tag) {
    Lookup lookup = lookup(name, tag);
    if (lookup instanceof BadTagFilter bad) {
      throw new InvalidEndpointRequestException(bad.message(), bad.message());
    }
    return lookup instanceof Found found ? found.meter() : null;
  }

  /** The sorted names of the meters in the registry. */
  List<String> names() {
    Set<String> names = new TreeSet<>();
    for (Meter m : registry) {
      names.add(m.id().name());
    }
    return List.copyOf(names);
  }

  StepRegistry registry() {
    return registry;
  }

  @Nullable PublisherStatus publisherStatus() {
    return publisherStatus.get();
  }

  /** The meters named {@code name} matching the {@code key:value} filters in {@code tag}, or why there is none. */
  Lookup lookup(String name, @Nullable List<String> tag) {
    Map<String, String> filters;
    try {
      filters = parseFilters(tag);
    } catch (IllegalArgumentException e) {
      return new BadTagFilter(WebEndpointResponse.STATUS_BAD_REQUEST, "badTagFilter", e.getMessage(), TAG_FILTER_SYNTAX);
    }
    Predicate<Id> matches = matcher(name, filters);
    StepSnapshot last = registry.lastSnapshot();
    StepSnapshot live = registry.peek(matches);
    Map<Id, MeterValues> meters = new LinkedHashMap<>();
    collect(live, matches, meters, false);
    collect(last, matches, meters, true);
    if (meters.isEmpty()) {
      List<AvailableTag> existing = availableTags(name);
      if (existing == null) {
        return new UnknownName(WebEndpointResponse.STATUS_NOT_FOUND, "unknownName",
            "No meter is named '" + name + "'; names lists the meters there are", names());
      }
      return new NoMatchingMeter(WebEndpointResponse.STATUS_NOT_FOUND, "noMatchingMeter",
          "Meters named '" + name + "' exist, but none has every tag of " + filters
              + "; availableTags lists the tags they have", filters, existing);
    }

    Map<String, String> common = registry.commonTags();
    Map<String, Set<String>> available = new TreeMap<>();
    List<MeterView> views = new ArrayList<>();
    for (Map.Entry<Id, MeterValues> e : meters.entrySet()) {
      Map<String, String> tags = fullTags(e.getKey(), common);
      tags.remove(AtlasNames.STATISTIC);
      tags.forEach((k, v) -> {
        if (!filters.containsKey(k)) {
          available.computeIfAbsent(k, x -> new TreeSet<>()).add(v);
        }
      });
      MeterValues v = e.getValue();
      views.add(new MeterView(typeName(v.type), tags, v.lastStep, v.inProgress,
          v.lastStep.isEmpty() ? LAST_STEP_PENDING : LAST_STEP_COMPLETE));
    }
    views.sort(Comparator.comparing(v -> v.tags().toString()));
    List<AvailableTag> availableTags = available.entrySet().stream()
        .map(e -> new AvailableTag(e.getKey(), e.getValue())).toList();
    return new Found(new MeterDescriptor(name, last.timestamp(), live.timestamp(),
        Instant.ofEpochMilli(live.timestamp()).toString(), views, availableTags));
  }

  /** The tags of the meters named {@code name}, each key with its values; null when there is no such meter. */
  private @Nullable List<AvailableTag> availableTags(String name) {
    Map<String, String> common = registry.commonTags();
    Map<String, Set<String>> available = null;
    for (Meter m : registry) {
      if (!m.id().name().equals(name)) {
        continue;
      }
      if (available == null) {
        available = new TreeMap<>();
      }
      Map<String, String> tags = fullTags(m.id(), common);
      tags.remove(AtlasNames.STATISTIC);
      for (Map.Entry<String, String> t : tags.entrySet()) {
        available.computeIfAbsent(t.getKey(), x -> new TreeSet<>()).add(t.getValue());
      }
    }
    return available == null ? null
        : available.entrySet().stream().map(e -> new AvailableTag(e.getKey(), e.getValue())).toList();
  }

  /** Whether an id is named {@code name} and has every tag of {@code filters}, common tags included. */
  Predicate<Id> matcher(String name, Map<String, String> filters) {
    Map<String, String> common = registry.commonTags();
    return id -> id.name().equals(name) && filters.entrySet().stream()
        .allMatch(f -> f.getValue().equals(fullTags(id, common).get(f.getKey())));
  }

  private static void collect(StepSnapshot s, Predicate<Id> matches, Map<Id, MeterValues> out, boolean lastStep) {
    for (int i = 0; i < s.size(); i++) {
      Id id = s.id(i);
      if (!matches.test(id)) {
        continue;
      }
      MeterValues v = out.computeIfAbsent(id, x -> new MeterValues());
      if (v.type == null) {
        v.type = s.type(i);
      }
      (lastStep ? v.lastStep : v.inProgress).put(s.statistic(i), s.delta(i));
    }
  }

  /** The {@code key:value} filters of the {@code tag} parameters; IllegalArgumentException naming a malformed one. */
  static Map<String, String> parseFilters(@Nullable List<String> tags) {
    Map<String, String> filters = new TreeMap<>();
    if (tags == null) {
      return filters;
    }
    for (String t : tags) {
      int colon = t.indexOf(':');
      if (colon <= 0 || colon == t.length() - 1) {
        throw new IllegalArgumentException("The tag filter '" + t + "' is not of the form key:value");
      }
      filters.put(t.substring(0, colon), t.substring(colon + 1));
    }
    return filters;
  }

  /** Common tags overlaid with the meter's own tags, which win. */
  static Map<String, String> fullTags(Id id, Map<String, String> common) {
    Map<String, String> tags = new TreeMap<>(common);
    for (Tag t : id.tags()) {
      tags.put(t.key(), t.value());
    }
    return tags;
  }

  static String typeName(MeterType type) {
    return switch (type) {
      case COUNTER -> "counter";
      case TIMER -> "timer";
      case DISTRIBUTION_SUMMARY -> "distributionSummary";
      case GAUGE -> "gauge";
      case MAX_GAUGE -> "maxGauge";
    };
  }

  private static final class MeterValues {
    private MeterType type;
    private final Map<String, Double> lastStep = new TreeMap<>();
    private final Map<String, Double> inProgress = new TreeMap<>();
  }

  /**
   * What {@code GET /actuator/spectator} answers.
   *
   * @param step the step, as an ISO-8601 duration
   * @param uri where measurements are published
   * @param format {@code publish} or {@code aggregator}
   * @param commonTags tags added to every measurement
   * @param publisher the publisher's state, or null when publishing is disabled
   * @param lwc the LWC streamer's state and active subscriptions, or null when streaming is off
   * @param names the names of the meters in the registry, sorted
   */
  public record SpectatorDescriptor(String step, URI uri, String format, Map<String, String> commonTags,
      @Nullable PublisherStatus publisher, @Nullable LwcStatus lwc, List<String> names) implements OperationResponseBody {}

  /**
   * What {@code GET /actuator/spectator/{name}} answers.
   *
   * @param name the meter name
   * @param lastStepTimestamp end of the last completed step, epoch milliseconds
   * @param inProgressTimestamp end of the step in progress, epoch milliseconds
   * @param nextStepAt when the step in progress completes (ISO-8601): its values then become
   *     {@code lastStep}
   * @param meters the matching meters
   * @param availableTags tag keys not yet filtered on, with their values
   */
  public record MeterDescriptor(String name, long lastStepTimestamp, long inProgressTimestamp, String nextStepAt,
      List<MeterView> meters, List<AvailableTag> availableTags) implements OperationResponseBody {}

  /**
   * One meter.
   *
   * @param type counter, timer, distributionSummary, gauge or maxGauge
   * @param tags its tags, common tags included
   * @param lastStep statistic to value for the last completed step; empty while {@code lastStepState}
   *     is {@code pending}
   * @param inProgress statistic to value so far in the step in progress
   * @param lastStepState {@code complete}, or {@code pending} for a meter created during the step in
   *     progress, whose first completed step comes at {@code nextStepAt}
   */
  public record MeterView(String type, Map<String, String> tags, Map<String, Double> lastStep,
      Map<String, Double> inProgress, String lastStepState) {}

  /** What a look-up of a name and tag filters found: the meters, or why there are none. */
  sealed interface Lookup permits Found, BadTagFilter, UnknownName, NoMatchingMeter {}

  /** The meters found. */
  record Found(MeterDescriptor meter) implements Lookup {}

  /**
   * The answer (400) to a {@code tag} parameter that is not {@code key:value}.
   *
   * @param status 400
   * @param error {@code badTagFilter}
   * @param message which parameter is malformed
   * @param syntax how to write tag filters
   */
  public record BadTagFilter(int status, String error, String message, String syntax)
      implements Lookup, OperationResponseBody {}

  /**
   * The answer (404) to a name no meter has.
   *
   * @param status 404
   * @param error {@code unknownName}
   * @param message the name asked for
   * @param names the names there are, sorted
   */
  public record UnknownName(int status, String error, String message, List<String> names)
      implements Lookup, OperationResponseBody {}

  /**
   * The answer (404) to a known name whose meters none match the tag filters.
   *
   * @param status 404
   * @param error {@code noMatchingMeter}
   * @param message the name and the filters
   * @param filters the tag filters asked for
   * @param availableTags the tags of the meters of that name, each key with its values
   */
  public record NoMatchingMeter(int status, String error, String message, Map<String, String> filters,
      List<AvailableTag> availableTags) implements Lookup, OperationResponseBody {}

  /**
   * A tag key to drill down on.
   *
   * @param tag the key
   * @param values its values among the matching meters
   */
  public record AvailableTag(String tag, Set<String> values) {}
}
