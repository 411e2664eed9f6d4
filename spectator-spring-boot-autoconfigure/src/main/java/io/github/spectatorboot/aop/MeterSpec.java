package io.github.spectatorboot.aop;

import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one annotated method records, read from its annotation once and checked against the rules
 * Atlas enforces on the server (lengths, reserved keys, tag count); characters are not checked
 * because the registry replaces the ones Atlas does not accept.
 *
 * @param name the meter name
 * @param extraTags the annotation's extra tags, in declaration order
 * @param classTag value of the {@code class} tag
 * @param methodTag value of the {@code method} tag
 * @param percentiles whether to record a percentile timer
 * @param rangeMinNanos smallest duration the percentile buckets resolve
 * @param rangeMaxNanos largest duration the percentile buckets resolve
 * @param longTask whether to record a long task timer
 * @param failuresOnly whether to count failures only
 */
record MeterSpec(
    String name,
    Map<String, String> extraTags,
    String classTag,
    String methodTag,
    boolean percentiles,
    long rangeMinNanos,
    long rangeMaxNanos,
    boolean longTask,
    boolean failuresOnly) {

  // Atlas's validation rules (atlas-webapi publish.rules, atlas-aggregator validation)
  static final int MIN_NAME_LENGTH = 2;
  static final int MAX_NAME_LENGTH = 255;
  static final int MIN_KEY_LENGTH = 2;
  static final int MAX_KEY_LENGTH = 60;
  static final int MAX_VALUE_LENGTH = 120;
  /** User tags per datapoint; {@code name} and {@code statistic} count, {@code nf.*} and {@code atlas.*} do not. */
  static final int MAX_USER_TAGS = 20;
  private static final Set<String> ALLOWED_NF_KEYS = Set.of(
      "nf.account", "nf.ami", "nf.app", "nf.asg", "nf.cluster", "nf.container", "nf.country",
      "nf.country.rollup", "nf.job", "nf.node", "nf.process", "nf.region", "nf.shard1", "nf.shard2",
      "nf.stack", "nf.subnet", "nf.task", "nf.vmtype", "nf.vpc", "nf.zone");
  private static final Set<String> RESERVED_KEYS = Set.of(
      "name", "statistic", "percentile",
      AspectTags.CLASS, AspectTags.METHOD, AspectTags.EXCEPTION, AspectTags.RESULT);

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)");

  /** The spec of a {@code @Timed} method; throws {@link InvalidMeterAnnotationException} when invalid. */
  static MeterSpec timed(AnnotatedMethod<Timed> method) {
    Timed timed = method.annotation();
    Check check = new Check("Timed", method);
    String name = check.name(timed.value(), Timed.DEFAULT_NAME);
    boolean rangeSet = !timed.percentileRangeMin().isBlank() || !timed.percentileRangeMax().isBlank();
    if (timed.longTask() && timed.percentiles()) {
      throw check.fail("percentiles", "longTask and percentiles are both set, but a long task timer has no percentiles",
          "remove one of them");
    }
    if (rangeSet && !timed.percentiles()) {
      throw check.fail("percentileRangeMin", "a percentile range is set but percentiles is false",
          "set percentiles = true, or remove percentileRangeMin and percentileRangeMax");
    }
    long min = timed.percentileRangeMin().isBlank() ? 0L : check.duration("percentileRangeMin", timed.percentileRangeMin());
    long max = timed.percentileRangeMax().isBlank()
        ? Long.MAX_VALUE
        : check.duration("percentileRangeMax", timed.percentileRangeMax());
    if (min >= max) {
      throw check.fail("percentileRangeMax", "percentileRangeMax (" + timed.percentileRangeMax()
              + ") is not greater than percentileRangeMin (" + timed.percentileRangeMin() + ")",
          "make the maximum greater than the minimum");
    }
    // name, statistic, class, method, and exception unless a long task; plus percentile
    int ownTags = timed.longTask() ? 4 : timed.percentiles() ? 6 : 5;
    Map<String, String> extraTags = check.extraTags(timed.extraTags(), ownTags);
    check.derivedTags();
    return new MeterSpec(name, extraTags, method.classTag(), method.methodTag(),
        timed.percentiles(), min, max, timed.longTask(), false);
  }

  /** The spec of a {@code @Counted} method; throws {@link InvalidMeterAnnotationException} when invalid. */
  static MeterSpec counted(AnnotatedMethod<Counted> method) {
    Counted counted = method.annotation();
    Check check = new Check("Counted", method);
    String name = check.name(counted.value(), Counted.DEFAULT_NAME);
    // name, statistic, class, method, exception, result
    Map<String, String> extraTags = check.extraTags(counted.extraTags(), 6);
    check.derivedTags();
    return new MeterSpec(name, extraTags, method.classTag(), method.methodTag(),
        false, 0L, Long.MAX_VALUE, false, counted.recordFailuresOnly());
  }

  /** Id with the name, the extra tags, {@code class} and {@code method}. */
  Id baseId(Registry registry) {
    return registry.createId(name, extraTags)
        .withTags(AspectTags.CLASS, classTag, AspectTags.METHOD, methodTag);
  }

  /**
   * Parses {@code 10ms}-style durations (units ns, us, ms, s, m, h, d) and ISO-8601 ones.
   *
   * @return the duration in nanoseconds
   * @throws IllegalArgumentException when the text is neither, or negative
   */
  static long parseNanos(String text) {
    String s = text.trim();
    Matcher simple = SIMPLE_DURATION.matcher(s.toLowerCase(Locale.ROOT));
    if (simple.matches()) {
      long amount = Long.parseLong(simple.group(1));
      TimeUnit unit = switch (simple.group(2)) {
        case "ns" -> TimeUnit.NANOSECONDS;
        case "us" -> TimeUnit.MICROSECONDS;
        case "ms" -> TimeUnit.MILLISECONDS;
        case "s" -> TimeUnit.SECONDS;
        case "m" -> TimeUnit.MINUTES;
        case "h" -> TimeUnit.HOURS;
        default -> TimeUnit.DAYS;
      };
      return unit.toNanos(amount);
    }
    try {
      Duration d = Duration.parse(s);
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration " + text);
      }
      return d.toNanos();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("not a duration: " + text, e);
    }
  }

  /** Checks one annotation's attributes and builds the exceptions that name its method. */
  private record Check(String annotation, AnnotatedMethod<?> method) {

    String name(String value, String defaultName) {
      if (value.isBlank()) {
        return defaultName;
      }
      if (value.length() < MIN_NAME_LENGTH || value.length() > MAX_NAME_LENGTH) {
        throw fail("value", "the meter name \"" + abbreviate(value) + "\" is " + characters(value.length())
                + " long, but Atlas accepts " + MIN_NAME_LENGTH + " to " + MAX_NAME_LENGTH,
            "choose a name of " + MIN_NAME_LENGTH + " to " + MAX_NAME_LENGTH + " characters, or leave it blank for "
                + defaultName);
      }
      return value;
    }

    long duration(String attribute, String value) {
      try {
        return parseNanos(value);
      } catch (IllegalArgumentException e) {
        throw fail(attribute, attribute + " is \"" + value + "\", which is not a non-negative duration",
            "write it as 10ms, 2s or PT2S");
      }
    }

    Map<String, String> extraTags(String[] pairs, int ownTags) {
      if (pairs.length % 2 != 0) {
        throw fail("extraTags", "extraTags has " + pairs.length + (pairs.length == 1 ? " entry" : " entries") + ", but it must hold key, value pairs",
            "give the last key \"" + abbreviate(pairs[pairs.length - 1]) + "\" a value, or remove it");
      }
      Map<String, String> tags = new LinkedHashMap<>();
      int userTags = ownTags;
      for (int i = 0; i < pairs.length; i += 2) {
        String key = pairs[i];
        String value = pairs[i + 1];
        checkKey(key);
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
          throw fail("extraTags", "the value of tag \"" + key + "\" is " + characters(value.length())
                  + " long, but Atlas accepts 1 to " + MAX_VALUE_LENGTH,
              "give \"" + key + "\" a value of 1 to " + MAX_VALUE_LENGTH + " characters");
        }
        if (tags.put(key, value) != null) {
          throw fail("extraTags", "extraTags has the key \"" + key + "\" twice", "keep one of them");
        }
        if (!key.startsWith("nf.") && !key.startsWith("atlas.")) {
          userTags++;
        }
      }
      if (userTags > MAX_USER_TAGS) {
        throw fail("extraTags", "the meter would carry " + userTags + " tags, but Atlas accepts at most "
                + MAX_USER_TAGS + " (name, statistic and the aspect's own tags count)",
            "remove " + (userTags - MAX_USER_TAGS) + " of the extra tags");
      }
      return Collections.unmodifiableMap(tags);
    }

    private void checkKey(String key) {
      if (key.length() < MIN_KEY_LENGTH || key.length() > MAX_KEY_LENGTH) {
        throw fail("extraTags", "the tag key \"" + abbreviate(key) + "\" is " + characters(key.length())
                + " long, but Atlas accepts " + MIN_KEY_LENGTH + " to " + MAX_KEY_LENGTH,
            "use a key of " + MIN_KEY_LENGTH + " to " + MAX_KEY_LENGTH + " characters");
      }
      if (RESERVED_KEYS.contains(key)) {
        throw fail("extraTags", "the tag key \"" + key + "\" is reserved: Atlas or the aspect sets it",
            "use another key, for example \"" + key + "Name\"");
      }
      if (key.startsWith("atlas.")) {
        throw fail("extraTags", "the tag key \"" + key + "\" is reserved: atlas.* keys steer the Atlas backend",
            "use a key outside atlas.*");
      }
      if (key.startsWith("nf.") && !ALLOWED_NF_KEYS.contains(key)) {
        throw fail("extraTags", "the tag key \"" + key + "\" is not one of the nf.* keys Atlas accepts",
            "use a key outside nf.*, or one of " + String.join(", ", ALLOWED_NF_KEYS.stream().sorted().toList()));
      }
    }

    /** The class and method tags come from the code; Atlas rejects values over 120 characters. */
    void derivedTags() {
      String classTag = method.classTag();
      if (classTag.length() > MAX_VALUE_LENGTH) {
        throw fail("class", "the class tag \"" + abbreviate(classTag) + "\" is " + characters(classTag.length())
                + " long, but Atlas accepts at most " + MAX_VALUE_LENGTH,
            "shorten the class name, or move the method to a class with a shorter name");
      }
      String methodTag = method.methodTag();
      if (methodTag.length() > MAX_VALUE_LENGTH) {
        throw fail("method", "the method tag \"" + abbreviate(methodTag) + "\" is " + characters(methodTag.length())
                + " long, but Atlas accepts at most " + MAX_VALUE_LENGTH,
            "shorten the method name");
      }
    }

    InvalidMeterAnnotationException fail(String attribute, String problem, String fix) {
      return new InvalidMeterAnnotationException(annotation, method.describe() + method.describeSource(), attribute,
          problem, fix);
    }

    private static String characters(int n) {
      return n == 1 ? "1 character" : n + " characters";
    }

    private static String abbreviate(String s) {
      return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
  }
}
