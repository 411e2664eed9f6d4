package io.github.spectatorboot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Settings of the Spectator starter, bound from {@code spectator.*}. Checked at start-up: a bad
 * value stops the application with a message that names the property and the fix.
 */
@ConfigurationProperties("spectator")
public class SpectatorProperties implements InitializingBean {

  /** Default step of the Atlas publish API. */
  static final Duration PUBLISH_STEP = Duration.ofMinutes(1);
  /** Default step of the Atlas aggregator, as spectator-py. */
  static final Duration AGGREGATOR_STEP = Duration.ofSeconds(5);

  /** Whether the starter records and publishes; when false, beans that inject a Registry get Spectator's NoopRegistry, which records nothing. */
  private boolean enabled = true;

  /** Where to publish; the path /api/v4/update selects the aggregator format unless format says otherwise. */
  private URI uri = URI.create("http://localhost:7101/api/v1/publish");

  /** Wire format: auto (aggregator when the URI path is /api/v4/update, else publish), publish or aggregator. */
  private Format format = Format.AUTO;

  /** Step size, a whole number of seconds; the default depends on the format: 1m for the publish API, 5s for the aggregator (format=aggregator, or format=auto with a URI path of /api/v4/update). */
  private Duration step;

  /** Tags added to every measurement, for example nf.app, nf.cluster and nf.node. */
  private Map<String, String> commonTags = new LinkedHashMap<>();

  /** Largest number of measurements in one request. */
  private int batchSize = 10_000;

  /** Time allowed to open a connection to the backend. */
  private Duration connectTimeout = Duration.ofSeconds(1);

  /** Time allowed for the backend to answer a request. */
  private Duration readTimeout = Duration.ofSeconds(10);

  /** Most requests in flight at once during one publish; also the most threads (at most one per core) writing and compressing its request bodies. */
  private int numThreads = 4;

  /** How long a meter without updates keeps reporting before it is removed; gauges report their last value this long. */
  private Duration meterTtl = Duration.ofMinutes(15);

  /** Most meters the registry holds; new ids beyond it get no-op meters, counted in spectator.registry.droppedMeters. */
  private int maxMeters = 100_000;

  /** Longest time the final publish on shutdown may take. */
  private Duration shutdownTimeout = Duration.ofSeconds(5);

  private final Publish publish = new Publish();
  private final Annotations annotations = new Annotations();
  private final Jvm jvm = new Jvm();
  private final GlobalRegistry globalRegistry = new GlobalRegistry();
  private final History history = new History();
  private final Micrometer micrometer = new Micrometer();
  private final Ipc ipc = new Ipc();
  @NestedConfigurationProperty
  private final SpectatorLwcProperties lwc = new SpectatorLwcProperties();

  /** Wire formats. */
  public enum Format {
    /** The aggregator when the URI path is {@code /api/v4/update}, else the publish API. */
    AUTO,
    /** The Atlas publish API, {@code /api/v1/publish}: rates per second with timestamps. */
    PUBLISH,
    /** The Atlas aggregator, {@code /api/v4/update}: deltas, as spectator-py 0.1.x sends. */
    AGGREGATOR
  }

  /** Encodings of request bodies. */
  public enum Encoding {
    /** Jackson's binary JSON, as Spectator Java and spectatord send it. */
    SMILE,
    /** JSON text. */
    JSON
  }

  /** Settings of shipping to the backend. */
  public static class Publish {

    /** Whether to ship measurements to the backend; the registry and the endpoint work without it. */
    private boolean enabled = true;

    /**
     * Time after each step boundary at which this instance sends the step, at least 0 and less than
     * the step; unset, each instance takes its own within the middle 80% of the step so a fleet's
     * requests spread over the step.
     */
    private Duration sendOffset;

    /**
     * How request bodies are written: smile (Jackson's binary JSON, application/x-jackson-smile, as
     * Spectator Java's AtlasRegistry and spectatord send it; both Atlas endpoints read it) or json
     * (JSON text, to read the requests on the wire). Smile is encoded about twice as fast and takes
     * fewer bytes.
     */
    private Encoding encoding = Encoding.SMILE;

    public Encoding getEncoding() {
      return encoding;
    }

    public void setEncoding(Encoding encoding) {
      this.encoding = encoding;
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getSendOffset() {
      return sendOffset;
    }

    public void setSendOffset(Duration sendOffset) {
      this.sendOffset = sendOffset;
    }
  }

  /** Settings of the @Timed and @Counted aspects. */
  public static class Annotations {

    /** Whether to register the @Timed and @Counted aspects. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Settings of the JVM metrics. */
  public static class Jvm {

    /** Whether to report JVM metrics from spectator-ext-jvm and GC metrics from spectator-ext-gc. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Settings of Spectator's global registry. */
  public static class GlobalRegistry {

    /** Whether the registry joins Spectator.globalRegistry() while the context runs, so libraries using it are reported. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Settings of the recent steps kept for the graphs of /actuator/spectator's page. */
  public static class History {

    /** Completed steps kept per series for the endpoint's graphs; 0 turns the history off. */
    private int steps = 60;

    /** Most series (a meter id and one statistic) kept; about 600 bytes each with 60 steps. */
    private int maxSeries = 3_000;

    public int getSteps() {
      return steps;
    }

    public void setSteps(int steps) {
      this.steps = steps;
    }

    public int getMaxSeries() {
      return maxSeries;
    }

    public void setMaxSeries(int maxSeries) {
      this.maxSeries = maxSeries;
    }
  }

  public History getHistory() {
    return history;
  }

  /** Settings of the Micrometer bridge. */
  public static class Micrometer {

    /** Whether Micrometer's meters (Spring Boot's own metrics among them) are recorded in the Spectator registry and published with it. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Settings of the Netflix IPC metrics, ipc.server.call and ipc.client.call. */
  public static class Ipc {

    private final Side server = new Side();
    private final Side client = new Side();

    /** Whether Micrometer's http.server.requests and http.client.requests are published too, besides the IPC metrics that measure the same requests. */
    private boolean keepMicrometerHttpMetrics = false;

    /** Whether ipc.server.inflight and ipc.client.inflight are recorded (spectator-ext-ipc's spectator.ipc.inflight-metrics-enabled). */
    private boolean inflightMetricsEnabled = true;

    /** Most distinct values kept per IPC tag key, by key (for example ipc.endpoint: 50); others are folded into one value; spectator-ext-ipc's default is 25. */
    private Map<String, Integer> cardinalityLimit = new LinkedHashMap<>();

    public Side getServer() {
      return server;
    }

    public Side getClient() {
      return client;
    }

    public boolean isKeepMicrometerHttpMetrics() {
      return keepMicrometerHttpMetrics;
    }

    public void setKeepMicrometerHttpMetrics(boolean keepMicrometerHttpMetrics) {
      this.keepMicrometerHttpMetrics = keepMicrometerHttpMetrics;
    }

    public boolean isInflightMetricsEnabled() {
      return inflightMetricsEnabled;
    }

    public void setInflightMetricsEnabled(boolean inflightMetricsEnabled) {
      this.inflightMetricsEnabled = inflightMetricsEnabled;
    }

    public Map<String, Integer> getCardinalityLimit() {
      return cardinalityLimit;
    }

    public void setCardinalityLimit(Map<String, Integer> cardinalityLimit) {
      this.cardinalityLimit = cardinalityLimit;
    }

    /** One side of the IPC metrics: the requests the application serves, or those it sends. */
    public static class Side {

      /** Whether to record this side's IPC metrics (ipc.server.call for requests served, ipc.client.call for requests sent). */
      private boolean enabled = true;

      public boolean isEnabled() {
        return enabled;
      }

      public void setEnabled(boolean enabled) {
        this.enabled = enabled;
      }
    }
  }

  /** The format in force: {@link Format#AUTO} resolved against the URI. */
  public Format resolvedFormat() {
    if (format != Format.AUTO) {
      return format;
    }
    return uri != null && "/api/v4/update".equals(uri.getPath()) ? Format.AGGREGATOR : Format.PUBLISH;
  }

  /** The step in force: the one set, or the default of the resolved format. */
  public Duration resolvedStep() {
    if (step != null) {
      return step;
    }
    return resolvedFormat() == Format.AGGREGATOR ? AGGREGATOR_STEP : PUBLISH_STEP;
  }

  @Override public void afterPropertiesSet() {
    SpectatorPropertiesValidator.validate(this);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public URI getUri() {
    return uri;
  }

  public void setUri(URI uri) {
    this.uri = uri;
  }

  public Format getFormat() {
    return format;
  }

  public void setFormat(Format format) {
    this.format = format;
  }

  public Duration getStep() {
    return step;
  }

  public void setStep(Duration step) {
    this.step = step;
  }

  public Map<String, String> getCommonTags() {
    return commonTags;
  }

  public void setCommonTags(Map<String, String> commonTags) {
    this.commonTags = commonTags;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(int batchSize) {
    this.batchSize = batchSize;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getReadTimeout() {
    return readTimeout;
  }

  public void setReadTimeout(Duration readTimeout) {
    this.readTimeout = readTimeout;
  }

  public int getNumThreads() {
    return numThreads;
  }

  public void setNumThreads(int numThreads) {
    this.numThreads = numThreads;
  }

  public Duration getMeterTtl() {
    return meterTtl;
  }

  public void setMeterTtl(Duration meterTtl) {
    this.meterTtl = meterTtl;
  }

  public int getMaxMeters() {
    return maxMeters;
  }

  public void setMaxMeters(int maxMeters) {
    this.maxMeters = maxMeters;
  }

  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  public Publish getPublish() {
    return publish;
  }

  public Annotations getAnnotations() {
    return annotations;
  }

  public Jvm getJvm() {
    return jvm;
  }

  public GlobalRegistry getGlobalRegistry() {
    return globalRegistry;
  }

  public Micrometer getMicrometer() {
    return micrometer;
  }

  public Ipc getIpc() {
    return ipc;
  }

  public SpectatorLwcProperties getLwc() {
    return lwc;
  }
}
