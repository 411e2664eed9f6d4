package io.github.spectatorboot.lwc;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.atlas.impl.EvalPayload;
import com.netflix.spectator.atlas.impl.Evaluator;
import com.netflix.spectator.atlas.impl.EvaluatorConfig;
import com.netflix.spectator.atlas.impl.Subscription;
import io.github.spectatorboot.publish.AtlasSender;
import io.github.spectatorboot.publish.BatchOutcome;
import io.github.spectatorboot.publish.EncodedBatch;
import io.github.spectatorboot.publish.WarnLimiter;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepSnapshot;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.util.function.SingletonSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Streams the expressions subscribed at an Atlas LWC API ({@code atlas-lwcapi}) as
 * {@code AtlasRegistry} does: fetches them every refresh with {@code If-None-Match}, evaluates
 * them against the registry every LWC step, and posts the results.
 *
 * <p>Everything runs on the streamer's two daemon threads ({@code spectator-lwc-*}), one for the
 * fetches and one for the steps, never on an application thread (but for the first readings,
 * which {@link #start()} takes on its caller's thread); requests block those threads only,
 * bounded by the connect and read timeouts and, for posts, by 90% of the LWC step.
 *
 * <p><b>Every step is read, subscribed or not.</b> {@code AtlasRegistry.sendToLWC} polls every
 * meter every LWC step whatever the subscriptions ({@code pollMeters(t)} before
 * {@code evaluator.eval(t)}), so a subscription that arrives gets the step in which it arrived in
 * full. The streamer does the same: while nothing is subscribed a step only takes the readings
 * ({@link StepRegistry#readSubStep}: one read of every meter, no ids, no evaluation, no request),
 * and the first step after a subscription appears is evaluated and posted, as there. The start
 * takes the first readings, so the first step posted covers what was recorded since the start.
 * A step missed altogether (the step thread stalled past the next step boundary, for example in
 * a long pause of the JVM) cannot be split from the one after it without a clock read on every
 * record, which the registry never makes: the step after the gap only takes readings and is not
 * posted, where {@code AtlasRegistry}, whose meters roll over by the clock, posts it.
 *
 * <p><b>Failures.</b> Results are posted with the publisher's {@link AtlasSender}, so they are
 * retried by the same rules as a publish and as {@code AtlasRegistry}'s LWC posts (its one
 * {@code HttpClient} for both): at most three attempts, only on 429, 503 and failures to connect,
 * backoff from one second, all within 90% of the LWC step, so the next step is taken on time.
 * A fetch of the subscriptions is not retried, where {@code AtlasRegistry}'s GET makes up to
 * three attempts (spectator-ext-ipc {@code HttpRequestBuilder.send}, {@code RetryPolicy.SAFE}: at
 * once after an IO error or a 5xx, after 1 s and 2 s after a 429 or 503): a failed fetch changes
 * nothing here, as the last good set stays in effect (150 s after each fetch) and the next fetch is
 * one refresh (10 s) away, so a retry would only notice a change of subscriptions sooner, at the
 * price of a second retry loop beside the publisher's, which is for POSTs. Failures are counted below and logged
 * with the publisher's {@link WarnLimiter}: at WARN at most once a minute, at DEBUG otherwise.
 *
 * <p>Self-metrics, in the registry: {@code spectator.lwc.measurements{id=sent}},
 * {@code spectator.lwc.measurements{id=dropped,error=http-error|other}} (values posted or lost),
 * {@code spectator.lwc.fetches{result=ok|not-modified|failed}} and the timer
 * {@code spectator.atlas.publishTaskTime{id=sendToLWC}}, named as Spectator Java names its own.
 */
public final class LwcStreamer implements LwcStatusSource, AutoCloseable {

  private static final Logger LOGGER = LoggerFactory.getLogger(LwcStreamer.class);
  /** First retry backoff of a post, as the publisher's and Spectator Java's {@code HttpRequestBuilder}. */
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

  private final StepRegistry registry;
  private final LwcConfig config;
  private final Clock clock;
  private final long stepMillis;
  private final Evaluator evaluator;
  private final SubscriptionSet subscriptions;
  private final SingletonSupplier<WebClient> client;
  private final Duration requestLimit;
  private final Duration postBudget;
  private final AtlasSender sender;
  private final WarnLimiter warnings;
  private final ConnectionProvider pool = ConnectionProvider.builder("spectator-lwc").maxConnections(2)
      .maxIdleTime(Duration.ofSeconds(30)).build();

  private final Counter sentCounter;
  private final Counter droppedHttp;
  private final Counter droppedOther;
  private final Id fetchesId;
  private final Timer taskTime;

  private volatile ScheduledExecutorService executor;
  private volatile String etag;
  private volatile String lastFetch = "none";
  private volatile long lastFetchTime;
  private volatile long lastEvalTimestamp;
  private volatile int lastEvalMetrics;
  private volatile String lastError;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  // used by one step at a time
  private long lastTick;

  /**
   * A streamer over {@code registry}.
   *
   * @param builder supplies a WebClient builder, for example Spring Boot's; asked for once, on the
   *     streamer's thread; its clone gets a connector with the streamer's own small pool, timeouts
   *     and response decompression
   */
  public LwcStreamer(StepRegistry registry, LwcConfig config, Supplier<WebClient.Builder> builder) {
    this(registry, config, builder, RETRY_BACKOFF);
  }

  /** For tests: posts are retried after {@code retryBackoff}, then twice that. */
  LwcStreamer(StepRegistry registry, LwcConfig config, Supplier<WebClient.Builder> builder, Duration retryBackoff) {
    this.registry = registry;
    this.config = config;
    this.clock = registry.clock();
    this.stepMillis = config.stepMillis();
    this.evaluator = new Evaluator(new EvaluatorConfig() {
      @Override public long evaluatorStepSize() {
        return stepMillis;
      }

      @Override public Map<String, String> commonTags() {
        return registry.commonTags();
      }
    });
    this.subscriptions = new SubscriptionSet(stepMillis, config.publishStep().toMillis(), config.ignorePublishStep(),
        config.subscriptionTtl().toMillis());
    this.client = SingletonSupplier.of(() -> builder.get().clone().clientConnector(new ReactorClientHttpConnector(httpClient())).build());
    this.requestLimit = config.connectTimeout().plus(config.readTimeout().multipliedBy(2));
    // as the publisher gives a step's requests 90% of the step: the next step is then taken on time
    this.postBudget = config.step().multipliedBy(9).dividedBy(10);
    this.sender = new AtlasSender(client::obtain, config.evalUri(), config.compress(), retryBackoff, requestLimit,
        Schedulers.parallel());
    this.warnings = new WarnLimiter(LOGGER, clock, Duration.ofMinutes(1));
    Id measurements = registry.createId("spectator.lwc.measurements");
    this.sentCounter = registry.counter(measurements.withTag("id", "sent"));
    this.droppedHttp = registry.counter(measurements.withTags("id", "dropped", "error", "http-error"));
    this.droppedOther = registry.counter(measurements.withTags("id", "dropped", "error", "other"));
    this.fetchesId = registry.createId("spectator.lwc.fetches");
    this.taskTime = registry.timer("spectator.atlas.publishTaskTime", "id", "sendToLWC");
  }

  private HttpClient httpClient() {
    return HttpClient.create(pool)
        .compress(true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
        .responseTimeout(config.readTimeout());
  }

  /**
   * Starts fetching now and every refresh, and evaluating at each LWC step boundary plus a tenth
   * of the step (as {@code AtlasRegistry}), so that the values of the step just ended are in.
   */
  public synchronized void start() {
    if (executor != null) {
      return;
    }
    AtomicInteger n = new AtomicInteger();
    var threads = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "spectator-lwc-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.setRemoveOnCancelPolicy(true);
    takeFirstReadings();
    long refresh = config.refreshFrequency().toMillis();
    threads.scheduleWithFixedDelay(() -> guard(this::refresh), 0, refresh, TimeUnit.MILLISECONDS);
    long now = clock.wallTime();
    long first = stepMillis - Math.floorMod(now, stepMillis) + stepMillis / 10;
    threads.scheduleAtFixedRate(() -> guard(this::tick), first, stepMillis, TimeUnit.MILLISECONDS);
    executor = threads;
  }

  /** Takes the readings the first step needs, so that it covers what was recorded since now; before the steps start. */
  void takeFirstReadings() {
    long now = clock.wallTime();
    lastTick = now - Math.floorMod(now, stepMillis);
    registry.readSubStep(lastTick, stepMillis);
  }

  /** Stops the threads; pending requests are abandoned (LWC data is live, not worth a late send). */
  @Override public synchronized void close() {
    ScheduledExecutorService threads = executor;
    executor = null;
    if (threads != null) {
      threads.shutdownNow();
      try {
        threads.awaitTermination(requestLimit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    registry.stopSubSteps();
    this.pool.dispose();
  }

  private void guard(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      warnings.warn("LWC task failed: " + e);
      LOGGER.debug("LWC task failed", e);
    }
  }

  /** Fetches the expressions once and brings the evaluator in line; on the caller's thread. */
  void refresh() {
    List<Subscription> fetched = null;
    String result;
    try {
      Fetched f = fetch();
      if (f.notModified()) {
        result = "not-modified";
      } else {
        fetched = LwcJson.parseExpressions(f.body());
        etag = f.etag();
        result = "ok";
      }
    } catch (RuntimeException e) {
      result = "failed: " + reason(e);
      warnings.warn("cannot fetch LWC subscriptions from " + config.configUri() + ", keeping the last good set: " + reason(e));
    }
    long now = clock.wallTime();
    evaluator.sync(subscriptions.update(fetched, now));
    lastFetch = result;
    lastFetchTime = now;
    registry.counter(fetchesId.withTag("result", result.startsWith("failed") ? "failed" : result)).increment();
  }

  private record Fetched(boolean notModified, String etag, byte[] body) {}

  private Fetched fetch() {
    String tag = etag;
    Fetched f = client.obtain().get().uri(config.configUri())
        .headers(h -> {
          if (tag != null) {
            h.set(HttpHeaders.IF_NONE_MATCH, tag);
          }
        })
        .exchangeToMono(response -> {
          if (response.statusCode().value() == HttpStatus.NOT_MODIFIED.value()) {
            return response.releaseBody().thenReturn(new Fetched(true, tag, null));
          }
          if (!response.statusCode().is2xxSuccessful()) {
            return response.releaseBody().then(Mono.error(new IllegalStateException("HTTP " + response.statusCode().value())));
          }
          String newTag = response.headers().asHttpHeaders().getETag();
          return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
              .map(body -> new Fetched(false, newTag, body));
        })
        .block(requestLimit);
    if (f == null) {
      throw new IllegalStateException("empty answer");
    }
    return f;
  }

  /** Evaluates the LWC step that ended last and posts the results; on the caller's thread. */
  void tick() {
    long t = clock.wallTime() / stepMillis * stepMillis;
    if (t <= lastTick) {
      return;
    }
    lastTick = t;
    if (subscriptions.current().isEmpty()) {
      // readings only, as AtlasRegistry polls every meter every LWC step: a subscription that
      // arrives before the next step gets that step in full
      registry.readSubStep(t, stepMillis);
      return;
    }
    long start = clock.monotonicTime();
    StepSnapshot values = registry.pollSubStep(t, stepMillis);
    for (int i = 0; i < values.size(); i++) {
      evaluator.update(values.id(i), t, values.rate(i));
    }
    EvalPayload payload = evaluator.eval(t);
    lastEvalTimestamp = t;
    lastEvalMetrics = payload.getMetrics().size();
    if (!payload.getMetrics().isEmpty()) {
      post(payload.toBatches(config.batchSize()));
    }
    taskTime.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
  }

  /** Posts the batches at once and waits for them, retries included, at most the post budget. */
  private void post(List<EvalPayload> batches) {
    List<Mono<BatchOutcome>> sends = new ArrayList<>(batches.size());
    int total = 0;
    for (EvalPayload batch : batches) {
      int n = batch.getMetrics().size();
      total += n;
      sends.add(sender.send(new EncodedBatch(LwcJson.evalBody(batch, config.compress()), n), postBudget));
    }
    List<BatchOutcome> outcomes;
    try {
      // the sender ends within the budget; the bound on the wait is a backstop
      outcomes = Flux.merge(sends).collectList().block(postBudget.plusSeconds(1));
    } catch (RuntimeException e) {
      outcomes = null;
    }
    if (outcomes == null) {
      droppedOther.increment(total);
      fail(total, "no outcome within " + postBudget);
      return;
    }
    for (BatchOutcome o : outcomes) {
      if (o.sent() > 0) {
        sentCounter.increment(o.sent());
        sent.addAndGet(o.sent());
      }
      int http = o.droppedValidation() + o.droppedHttp();
      if (http > 0) {
        droppedHttp.increment(http);
      }
      if (o.droppedOther() > 0) {
        droppedOther.increment(o.droppedOther());
      }
      if (o.dropped() > 0) {
        fail(o.dropped(), o.error());
      }
    }
  }

  private void fail(int n, String reason) {
    dropped.addAndGet(n);
    lastError = reason;
    warnings.warn("cannot post " + n + " LWC values to " + config.evalUri() + ": " + reason);
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override public LwcStatus lwcStatus() {
    return status();
  }

  /** What the streamer is doing now. */
  public LwcStatus status() {
    List<LwcStatus.Subscribed> subs = subscriptions.current().stream()
        .map(s -> new LwcStatus.Subscribed(s.getId(), s.getExpression(), s.getFrequency()))
        .toList();
    return new LwcStatus(executor != null, config.configUri().toString(), config.evalUri().toString(), stepMillis,
        lastFetch, lastFetchTime, etag, subs, lastEvalTimestamp, lastEvalMetrics, sent.get(), dropped.get(), lastError);
  }
}
