package io.github.spectatorboot.publish;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of an {@link AtlasPublisher}: where and in which wire format each step is sent, how
 * it is cut into requests, and how long the publisher waits for the backend.
 *
 * @param uri where to POST, an absolute {@code http} or {@code https} URI, for example
 *     {@code http://localhost:7101/api/v1/publish} or {@code http://aggregator:7101/api/v4/update}
 * @param format the wire format; {@link Format#AUTO} picks it from the URI, see {@link #resolvedFormat()}
 * @param step the length of a step; must equal the registry's step, see {@link #defaultStep(Format)}
 * @param batchSize the most measurements in one request; each request is self-contained
 * @param connectTimeout how long to wait for a TCP connection to the backend
 * @param readTimeout how long to wait for the backend's answer once the request is written, and
 *     between reads of it
 * @param numThreads the most requests of one step in flight at once, and the most threads (at
 *     most one per core) writing and deflating its request bodies
 * @param shutdownTimeout how long {@link AtlasPublisher#close()} may spend sending the last
 *     completed step and the partial current one
 * @param sendOffset how long after each step boundary the step is sent, at least 0 and less than
 *     the step; {@code null} (the default) for an offset of this instance's own within the middle
 *     80% of the step, see {@link #instanceSendOffset(long, long, String)}
 * @param encoding how request bodies are written: {@link Encoding#SMILE} (the default), as
 *     Netflix's own clients send them, or {@link Encoding#JSON} text
 */
public record PublisherConfig(
    URI uri,
    Format format,
    Duration step,
    int batchSize,
    Duration connectTimeout,
    Duration readTimeout,
    int numThreads,
    Duration shutdownTimeout,
    Duration sendOffset,
    Encoding encoding) {

  /** Default endpoint: the Atlas publish API of a local Atlas, as Spectator's {@code atlas.uri}. */
  public static final URI DEFAULT_URI = URI.create("http://localhost:7101/api/v1/publish");
  /** Path of the Atlas aggregator's update API; {@link Format#AUTO} picks the aggregator format for it. */
  public static final String AGGREGATOR_PATH = "/api/v4/update";
  /** Default batch size, as Spectator's {@code atlas.batchSize} and spectator-py's {@code batch_size}. */
  public static final int DEFAULT_BATCH_SIZE = 10_000;
  /** Default connect timeout, as Spectator's {@code atlas.connectTimeout}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
  /** Default read timeout, as Spectator's {@code atlas.readTimeout}. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  /** Default number of concurrent requests, as Spectator's {@code atlas.numThreads}. */
  public static final int DEFAULT_NUM_THREADS = 4;
  /** Default bound on the final flush at shutdown. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  /** Which Atlas API the publisher speaks. */
  public enum Format {
    /** {@link #AGGREGATOR} when the URI path is {@value PublisherConfig#AGGREGATOR_PATH}, else {@link #PUBLISH}. */
    AUTO,
    /**
     * The Atlas publish API ({@code /api/v1/publish}) that Spectator Java's {@code AtlasRegistry}
     * uses: one JSON object per request with the common tags and timestamped rates and gauges.
     * Idle counters and timers report 0 until their meter expires, as in Spectator Java.
     */
    PUBLISH,
    /**
     * The Atlas aggregator's update API ({@code /api/v4/update}) that spectator-py 0.1.x uses: a
     * flat JSON array with a string table and the step's raw deltas, each with an add or max op.
     * As in spectator-py, adds of zero are not sent (an idle counter sends nothing) while max
     * values are, so an idle timer sends its {@code max} of 0 until its meter expires.
     */
    AGGREGATOR
  }

  /**
   * How request bodies are written. Both Atlas endpoints read either, gzip-compressed, and choose
   * by the {@code Content-Type}.
   */
  public enum Encoding {
    /**
     * Jackson's binary JSON ({@code application/x-jackson-smile}): what Spectator Java's {@code
     * AtlasRegistry} sends to the publish API and spectatord to the aggregator. A body repeats no
     * key and no short string (it refers back to the first), so there is less to compress: a step
     * is encoded about twice as fast as JSON and takes fewer bytes on the wire.
     */
    SMILE,
    /** JSON text ({@code application/json}), as spectator-py sends it: for reading requests on the wire. */
    JSON
  }

  /** The settings with bodies in {@link Encoding#SMILE}. */
  public PublisherConfig(URI uri, Format format, Duration step, int batchSize, Duration connectTimeout,
      Duration readTimeout, int numThreads, Duration shutdownTimeout, Duration sendOffset) {
    this(uri, format, step, batchSize, connectTimeout, readTimeout, numThreads, shutdownTimeout, sendOffset,
        Encoding.SMILE);
  }

  /** Checks every setting; a bad one throws {@link IllegalArgumentException} naming it. */
  public PublisherConfig {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(encoding, "encoding");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("uri must be an absolute http or https URI with a host, got " + uri);
    }
    requirePositive("step", step);
    if (step.toNanos() % 1_000_000L != 0) {
      throw new IllegalArgumentException("step must be a whole number of milliseconds, got " + step);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("readTimeout", readTimeout);
    if (numThreads <= 0) {
      throw new IllegalArgumentException("numThreads must be positive, got " + numThreads);
    }
    requirePositive("shutdownTimeout", shutdownTimeout);
    if (sendOffset != null && (sendOffset.isNegative() || sendOffset.compareTo(step) >= 0)) {
      throw new IllegalArgumentException("sendOffset must be at least 0 and less than the step (" + step + "), got " + sendOffset);
    }
  }

  /** Settings without a pinned send offset: each instance sends at an offset of its own. */
  public PublisherConfig(URI uri, Format format, Duration step, int batchSize, Duration connectTimeout,
      Duration readTimeout, int numThreads, Duration shutdownTimeout) {
    this(uri, format, step, batchSize, connectTimeout, readTimeout, numThreads, shutdownTimeout, null);
  }

  /**
   * The send offset of an instance that did not pin one, in milliseconds after each step boundary:
   * where its start ({@code startMillis}, shifted by a hash of its {@code nf.node} when it has one)
   * falls within the step, mapped linearly onto the middle 80% of the step. Instances that start at
   * random moments, or that carry distinct {@code nf.node} tags, send spread evenly over that window
   * rather than all just after the boundary. Spectator's {@code AtlasConfig.initialPollingDelay}
   * takes the start's position clamped to the same window, which piles the starts that fall in the
   * last 10% of the step onto one moment; the linear map keeps the spread even.
   *
   * @param node the instance's {@code nf.node} tag, or {@code null}
   */
  public static long instanceSendOffset(long startMillis, long stepMillis, String node) {
    // the hash is spread over the long range first: nodes differing in one character are neighbours
    long shift = node == null ? 0 : node.hashCode() * 0x9E3779B97F4A7C15L;
    long position = Math.floorMod(startMillis + shift, stepMillis);
    long margin = stepMillis / 10;
    return margin + position * (stepMillis - 2 * margin) / stepMillis;
  }

  /**
   * The defaults for {@code uri}: the format picked from the URI, its default step, and
   * Spectator's defaults for the rest.
   */
  public static PublisherConfig defaults(URI uri) {
    Format format = resolve(Format.AUTO, uri);
    return new PublisherConfig(uri, Format.AUTO, defaultStep(format), DEFAULT_BATCH_SIZE,
        DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_NUM_THREADS, DEFAULT_SHUTDOWN_TIMEOUT);
  }

  /**
   * The default step of a format: 5 seconds for the aggregator (spectator-py's {@code frequency}),
   * one minute otherwise (Spectator's {@code atlas.step}).
   */
  public static Duration defaultStep(Format format) {
    return format == Format.AGGREGATOR ? Duration.ofSeconds(5) : Duration.ofMinutes(1);
  }

  /** The format to speak: {@link #format()}, with {@link Format#AUTO} decided by the URI path. */
  public Format resolvedFormat() {
    return resolve(format, uri);
  }

  /** A copy with another step. */
  public PublisherConfig withStep(Duration newStep) {
    return new PublisherConfig(uri, format, newStep, batchSize, connectTimeout, readTimeout, numThreads, shutdownTimeout, sendOffset, encoding);
  }

  /** A copy with another batch size. */
  public PublisherConfig withBatchSize(int newBatchSize) {
    return new PublisherConfig(uri, format, step, newBatchSize, connectTimeout, readTimeout, numThreads, shutdownTimeout, sendOffset, encoding);
  }

  /** A copy with other connect and read timeouts. */
  public PublisherConfig withTimeouts(Duration newConnectTimeout, Duration newReadTimeout) {
    return new PublisherConfig(uri, format, step, batchSize, newConnectTimeout, newReadTimeout, numThreads, shutdownTimeout, sendOffset, encoding);
  }

  /** A copy with another bound on concurrent requests. */
  public PublisherConfig withNumThreads(int newNumThreads) {
    return new PublisherConfig(uri, format, step, batchSize, connectTimeout, readTimeout, newNumThreads, shutdownTimeout, sendOffset, encoding);
  }

  /** A copy with another shutdown timeout. */
  public PublisherConfig withShutdownTimeout(Duration newShutdownTimeout) {
    return new PublisherConfig(uri, format, step, batchSize, connectTimeout, readTimeout, numThreads, newShutdownTimeout, sendOffset, encoding);
  }

  /** A copy that sends each step {@code newSendOffset} after its boundary; {@code null} for the instance's own offset. */
  public PublisherConfig withSendOffset(Duration newSendOffset) {
    return new PublisherConfig(uri, format, step, batchSize, connectTimeout, readTimeout, numThreads, shutdownTimeout, newSendOffset, encoding);
  }

  /** A copy whose bodies are written in {@code newEncoding}. */
  public PublisherConfig withEncoding(Encoding newEncoding) {
    return new PublisherConfig(uri, format, step, batchSize, connectTimeout, readTimeout, numThreads, shutdownTimeout, sendOffset,
        newEncoding);
  }

  private static Format resolve(Format format, URI uri) {
    if (format != Format.AUTO) {
      return format;
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path.equals(AGGREGATOR_PATH) ? Format.AGGREGATOR : Format.PUBLISH;
  }

  private static void requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
