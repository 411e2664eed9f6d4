package io.github.spectatorboot.publish;

import com.netflix.spectator.api.Clock;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepSnapshot;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Ships every step of a {@link StepRegistry} to Atlas, in the publish API or the aggregator
 * format, without ever blocking the application: one poll per step on a thread of its own,
 * requests sent asynchronously with WebClient on Reactor Netty, and a final flush on
 * {@link #close()}.
 *
 * <p>Schedule: the registry is polled once per step, just after each step boundary (2% of the step
 * later, at most one second), so every value stays in the step it was recorded in. The snapshot is
 * then encoded and sent at this instance's {@linkplain #sendOffset() send offset} within the step:
 * pinned by {@link PublisherConfig#sendOffset()}, or else an offset of the instance's own within the
 * middle 80% of the step ({@link PublisherConfig#instanceSendOffset(long, long, String)}), stable
 * for the life of the publisher, so that a fleet's requests spread over the step rather than all
 * arriving just after each boundary. A step's requests, retries included, get 90% of a step from
 * their start, so they end before the next step is sent. Publishes never overlap: a step whose
 * predecessor is still sending when its own send is due is counted in
 * {@link PublisherStatus#skippedSteps()} and not sent, so at most one step's requests are ever
 * in flight. This publisher is the only thing that may poll the registry; when publishing is
 * disabled, use a {@link StepPoller} instead (never both on one registry).
 *
 * <p>Sending: batches of at most {@link PublisherConfig#batchSize()} measurements, gzip-compressed
 * JSON, written and deflated on the publishing thread and up to {@code numThreads - 1} threads of
 * {@code Schedulers.parallel()} (at most one per core), at most
 * {@link PublisherConfig#numThreads()} requests in flight. 429, 503 and failures to
 * connect are retried (three attempts in all, exponential backoff from one second, with jitter);
 * nothing else is. 202 and 400 bodies are read for the count of measurements the backend rejected.
 * Every measurement sent ends up counted once in the registry's {@code spectator.measurements}
 * counters ({@code id=sent}, or {@code id=dropped} with {@code error=validation}, {@code http-error}
 * for an HTTP error status, {@code other} when no answer came), and each publish is timed in
 * {@code spectator.atlas.publishTaskTime{id=sendToAtlas}}. Failures are logged at WARN at most once
 * a minute, with the server's sample messages; bodies are never logged.
 *
 * <p>Shutdown: {@link #close()} stops the schedule, then sends a polled step still waiting for its
 * send offset, the last completed step (unless a tick already took it) and the partial step in
 * progress, stamped with the end of that step, each exactly once. Those are sent at once,
 * alongside a predecessor still in flight, with one attempt per request (backoffs under way end
 * and no retry follows, so an unreachable backend costs one refused connection, not seconds of
 * backoff), and {@code close()} waits for all of them at most
 * {@link PublisherConfig#shutdownTimeout()}; what is still unanswered then is cancelled and
 * counted as dropped.
 */
public final class AtlasPublisher implements AutoCloseable {

  private static final Logger LOGGER = LoggerFactory.getLogger(AtlasPublisher.class);

  /** First retry backoff, as Spectator Java's {@code HttpRequestBuilder}; the second is twice that. */
  static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);

  /** The common tag that names the instance; it shifts the send offset of instances started together. */
  private static final String NODE_TAG = "nf.node";

  /** Connections idle longer than this are closed by us, before a load balancer's idle timeout races a request. */
  private static final Duration MAX_IDLE = Duration.ofSeconds(30);

  private final PublisherConfig config;
  private final PublisherConfig.Format format;
  private final Clock clock;
  private final PayloadEncoder encoder;
  private final ConnectionProvider sharedConnections;
  private final LoopResources sharedLoops;
  /** The pool and event loop of this publisher's own, made with the HTTP client: null until then, CLOSED after close(). */
  private final AtomicReference<NettyResources> ownResources = new AtomicReference<>();
  private final SingletonSupplier<WebClient> client;
  private final AtlasSender sender;
  private final StepSchedule schedule;
  private final PublishMeters meters;
  private final WarnLimiter warnings;
  private final long sendOffsetMillis;

  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong skippedSteps = new AtomicLong();
  private volatile Instant lastAttempt;
  private volatile Instant lastSuccess;
  private volatile String lastError;

  /** The publish of the latest step sent; written with this publisher's monitor held. */
  private volatile PublishRun inFlight;
  /** A polled step waiting for its send offset; written with this publisher's monitor held. */
  private PublishRun pending;

  /**
   * A publisher of {@code registry} with the given settings; call {@link #start()} to begin.
   *
   * @param builder a WebClient builder, for example Spring Boot's; it is cloned, and the clone
   *     gets a Reactor Netty connector with this publisher's own connection pool (at most
   *     {@code numThreads} connections), connect and read timeouts and response decompression
   * @throws IllegalArgumentException if the config's step is not the registry's
   */
  public AtlasPublisher(StepRegistry registry, PublisherConfig config, WebClient.Builder builder) {
    this(registry, config, builder, null, DEFAULT_RETRY_BACKOFF, Schedulers.parallel());
  }

  /**
   * A publisher whose WebClient builder is asked for only when the HTTP client is built, on a
   * thread of its own after {@link #start()}: Spring Boot's builder bean creates Boot's own HTTP
   * connector, which the publisher replaces anyway: the largest share of the starter's start-up
   * cost otherwise ({@code benchmarks/startup-steps.sh}).
   *
   * @param builder supplies a WebClient builder, for example {@code ObjectProvider::getObject}
   * @throws IllegalArgumentException if the config's step is not the registry's
   */
  public AtlasPublisher(StepRegistry registry, PublisherConfig config, Supplier<WebClient.Builder> builder) {
    this(registry, config, builder, null, DEFAULT_RETRY_BACKOFF, Schedulers.parallel(), null, null);
  }

  /**
   * For tests: ticks on {@code scheduler} ({@code null} for a thread of our own), retries after
   * {@code retryBackoff}, backoffs and the attempt backstop on {@code timer}.
   */
  AtlasPublisher(StepRegistry registry, PublisherConfig config, WebClient.Builder builder,
      Scheduler scheduler, Duration retryBackoff, Scheduler timer) {
    this(registry, config, builder, scheduler, retryBackoff, timer, null, null);
  }

  /**
   * For simulations of many instances in one JVM: also shares {@code connections} and
   * {@code loops} ({@code null} for the publisher's own), which {@link #close()} then leaves alone.
   */
  AtlasPublisher(StepRegistry registry, PublisherConfig config, WebClient.Builder builder,
      Scheduler scheduler, Duration retryBackoff, Scheduler timer, ConnectionProvider sharedConnections,
      LoopResources sharedLoops) {
    this(registry, config, builder.clone()::clone, scheduler, retryBackoff, timer, sharedConnections, sharedLoops);
  }

  private AtlasPublisher(StepRegistry registry, PublisherConfig config, Supplier<WebClient.Builder> builder,
      Scheduler scheduler, Duration retryBackoff, Scheduler timer, ConnectionProvider sharedConnections,
      LoopResources sharedLoops) {
    if (config.step().toMillis() != registry.stepMillis()) {
      throw new IllegalArgumentException("the publisher's step (" + config.step() + ") must be the registry's ("
          + Duration.ofMillis(registry.stepMillis()) + ")");
    }
    this.config = config;
    this.format = config.resolvedFormat();
    this.clock = registry.clock();
    // the step's bodies are independent: written and deflated on up to numThreads cores at once,
    // as Spectator's DefaultPublisher encodes each batch on its sender pool of numThreads
    this.encoder = PayloadEncoder.of(format, config.encoding(), new BatchCompressor(task -> Schedulers.parallel().schedule(task),
        Math.min(config.numThreads(), Runtime.getRuntime().availableProcessors())));
    if ((sharedConnections == null) != (sharedLoops == null)) {
      throw new IllegalArgumentException("share both the connections and the loops, or neither");
    }
    this.sharedConnections = sharedConnections;
    this.sharedLoops = sharedLoops;
    // built later: the HTTP client (and the builder, when it is Boot's) takes class loading and
    // set-up, which start() spends on a thread of its own rather than the application's start-up
    this.client = SingletonSupplier.of(
        () -> builder.get().clone().clientConnector(new ReactorClientHttpConnector(httpClient())).build());
    // connect, write (bounded like a read) and read: a backstop, the Netty timeouts come first
    Duration attemptTimeout = config.connectTimeout().plus(config.readTimeout().multipliedBy(2));
    this.sender = new AtlasSender(client, config.uri(), encoder.contentType(), retryBackoff, attemptTimeout, timer);
    this.meters = new PublishMeters(registry);
    this.warnings = new WarnLimiter(LOGGER, clock, Duration.ofMinutes(1));
    this.schedule = new StepSchedule(registry, scheduler, "spectator-publisher", this::onStep);
    this.sendOffsetMillis = config.sendOffset() != null
        ? config.sendOffset().toMillis()
        : PublisherConfig.instanceSendOffset(clock.wallTime(), registry.stepMillis(), registry.commonTags().get(NODE_TAG));
  }

  private HttpClient httpClient() {
    ConnectionProvider connections = sharedConnections;
    LoopResources loops = sharedLoops;
    if (connections == null) {
      NettyResources own = ownResources();
      connections = own.connections();
      loops = own.loops();
    }
    return HttpClient.create(connections)
        .runOn(loops)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
        .responseTimeout(config.readTimeout())
        .compress(true);
  }

  /**
   * Starts publishing every step; does nothing if already started or closed. The HTTP client is
   * built on a thread of its own, well before the first step is sent; should that fail, the
   * failure is logged and each send tries again.
   */
  public void start() {
    if (schedule.start()) {
      LOGGER.info("publishing metrics every {} to {} ({} format)", config.step(), config.uri(), format);
      Thread init = new Thread(this::buildClient, "spectator-publisher-init");
      init.setDaemon(true);
      init.start();
    } else {
      LOGGER.warn("publisher to {} already started or closed, ignoring start()", config.uri());
    }
  }

  private void buildClient() {
    try {
      client.get();
    } catch (RuntimeException | LinkageError e) {
      LOGGER.warn("could not build the HTTP client for {}: {}", config.uri(), e.toString());
    }
  }

  /** What the publisher has done so far; cheap, safe to call from any thread. */
  public PublisherStatus status() {
    return new PublisherStatus(
        schedule.isRunning() ? PublisherStatus.State.RUNNING : PublisherStatus.State.STOPPED,
        lastAttempt, lastSuccess, sent.get(), dropped.get(), skippedSteps.get(), lastError);
  }

  /** How long after each step boundary this publisher sends the step; fixed for its life. */
  public Duration sendOffset() {
    return Duration.ofMillis(sendOffsetMillis);
  }

  /** The format this publisher speaks, {@code AUTO} resolved. */
  public PublisherConfig.Format format() {
    return format;
  }

  /** How this publisher writes its request bodies. */
  public PublisherConfig.Encoding encoding() {
    return config.encoding();
  }

  /**
   * Stops the schedule and flushes: sends the last completed step if no tick took it, and the
   * partial step in progress, each exactly once, waiting at most the shutdown timeout; then
   * releases the connections. Blocks the calling thread (never call it from an event loop).
   * Calling it again does nothing.
   */
  @Override public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    sender.stopRetrying();
    schedule.stop();
    List<PublishRun> runs = new ArrayList<>(4);
    // close() cancels what is unanswered at its deadline, saying why; the requests' own budget
    // must not run out first (no retry follows at shutdown anyway)
    Duration flushBudget = config.shutdownTimeout().multipliedBy(2);
    try {
      synchronized (this) {
        PublishRun previous = inFlight;
        if (previous != null) {
          runs.add(previous);
        }
        PublishRun waiting = pending;
        pending = null;
        if (waiting != null && waiting.claim()) {
          if (waiting.timer != null) {
            waiting.timer.dispose();
          }
          waiting.start(flushBudget);
          runs.add(waiting);
        }
      }
      StepSchedule.FinalSteps last = schedule.pollFinal();
      if (last.completed() != null) {
        runs.add(publish(last.completed(), flushBudget));
      }
      runs.add(publish(last.partial(), flushBudget));
      for (PublishRun run : runs) {
        if (!run.await(deadline)) {
          break;
        }
      }
    } catch (RuntimeException e) {
      LOGGER.warn("failed to flush the last steps to {}: {}", config.uri(), e.toString());
    } finally {
      for (PublishRun run : runs) {
        run.cancel("cancelled: not answered within the shutdown timeout (" + config.shutdownTimeout() + ")");
      }
      NettyResources own = ownResources.getAndSet(NettyResources.CLOSED);
      if (own != null && own != NettyResources.CLOSED) {
        own.dispose();
      }
      LOGGER.info("stopped publishing metrics to {} (sent {}, dropped {}, skipped steps {})",
          config.uri(), sent.get(), dropped.get(), skippedSteps.get());
    }
  }

  /** Number of publishes in flight, 0 or 1 while the schedule runs; for tests. */
  int publishesInFlight() {
    PublishRun run = inFlight;
    return run == null || run.isDone() ? 0 : 1;
  }

  /**
   * Runs on the schedule's thread with its lock held, just after the boundary: sends the snapshot
   * at once if its send offset has passed, else schedules its send; never waits.
   */
  private void onStep(StepSnapshot snapshot) {
    PublishRun run = new PublishRun(snapshot);
    long delay = snapshot.timestamp() + sendOffsetMillis - clock.wallTime();
    if (delay <= 0) {
      send(run);
      return;
    }
    PublishRun overdue;
    synchronized (this) {
      overdue = pending;
      pending = run;
    }
    if (overdue != null) {
      // the schedule fell behind by a whole step: send the older one now rather than lose it
      send(overdue);
    }
    run.timer = schedule.later(() -> send(run), delay);
  }

  /**
   * Starts sending a polled step, unless close() took it or its predecessor is still sending. A
   * tick racing close() finishes before close() goes on (it waits for the schedule to stop), so
   * the run it starts here is the one close() then waits for.
   */
  private synchronized void send(PublishRun run) {
    if (!run.claim()) {
      return;
    }
    if (pending == run) {
      pending = null;
    }
    PublishRun previous = inFlight;
    if (previous != null && !previous.isDone()) {
      long skipped = skippedSteps.incrementAndGet();
      warnings.warn("skipped publishing the step ending " + Instant.ofEpochMilli(run.timestamp)
          + " to " + config.uri() + ": the previous step is still being sent (" + skipped + " steps skipped so far)");
      return;
    }
    // retries end before the next step's send, one step later
    inFlight = run;
    run.start(Duration.ofMillis(config.step().toMillis() * 9 / 10));
  }

  /** Encodes the snapshot on the calling thread and starts sending it within {@code budget}. */
  private PublishRun publish(StepSnapshot snapshot, Duration budget) {
    PublishRun run = new PublishRun(snapshot);
    run.claim();
    run.start(budget);
    return run;
  }

  /** This publisher's own pool and event loop, made once (a failed client build retried reuses them). */
  private NettyResources ownResources() {
    NettyResources own = ownResources.get();
    if (own == null) {
      NettyResources made = NettyResources.create(config.numThreads());
      own = ownResources.compareAndExchange(null, made);
      if (own == null) {
        return made;
      }
      made.dispose();
    }
    if (own == NettyResources.CLOSED) {
      throw new IllegalStateException("publisher to " + config.uri() + " is closed");
    }
    return own;
  }

  /**
   * A connection pool and an event loop of the publisher's own, made with its HTTP client rather
   * than at construction: Reactor Netty's set-up is then spent on the publisher's thread, not in
   * the application's start-up ({@code benchmarks/startup-steps.sh}).
   */
  private record NettyResources(ConnectionProvider connections, LoopResources loops) {

    /** Marks a publisher whose resources are released: none are made any more. */
    static final NettyResources CLOSED = new NettyResources(null, null);

    static NettyResources create(int maxConnections) {
      ConnectionProvider connections = ConnectionProvider.builder("spectator-publisher")
          .maxConnections(maxConnections)
          // requests are bounded by numThreads per publish, at most three publishes at shutdown
          .pendingAcquireMaxCount(-1)
          .maxIdleTime(MAX_IDLE)
          .build();
      // an event loop of our own: Boot disposes Reactor Netty's global resources when the context
      // stops, which would otherwise break the final flush that runs after that
      return new NettyResources(connections, LoopResources.create("spectator-publisher", 1, true));
    }

    void dispose() {
      connections.dispose();
      loops.disposeLater().subscribe();
    }
  }

  /**
   * One step being sent: accounts each batch's outcome once, in the counters and the status, and
   * on cancellation counts whatever is still unanswered as dropped.
   */
  private final class PublishRun {

    private final long timestamp;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Held from the poll until the send starts. */
    private StepSnapshot snapshot;
    private volatile Disposable timer;
    private int total;
    private long startNanos;
    private volatile Disposable subscription;
    private int accounted;
    private int sentCount;
    private int droppedCount;
    private int failedCount;
    private String firstError;
    private boolean finished;

    PublishRun(StepSnapshot snapshot) {
      this.snapshot = snapshot;
      this.timestamp = snapshot.timestamp();
    }

    /** Whether the caller is the one to send this step: true once only. */
    boolean claim() {
      return claimed.compareAndSet(false, true);
    }

    /** Encodes the snapshot on the calling thread and starts sending it; once, after {@link #claim()}. */
    void start(Duration budget) {
      StepSnapshot s = snapshot;
      snapshot = null;
      startNanos = clock.monotonicTime();
      List<EncodedBatch> batches;
      try {
        batches = encoder.encode(s, config.batchSize());
      } catch (RuntimeException e) {
        synchronized (this) {
          total = s.size();
        }
        account(BatchOutcome.other(s.size(), "failed to encode: " + e));
        complete();
        return;
      }
      int n = 0;
      for (EncodedBatch b : batches) {
        n += b.size();
      }
      synchronized (this) {
        total = n;
      }
      if (batches.isEmpty()) {
        // nothing to send (the aggregator format skips zeros): not an attempt
        markEmpty();
        return;
      }
      lastAttempt = Instant.ofEpochMilli(clock.wallTime());
      subscription = Flux.fromIterable(batches)
          .flatMap(batch -> sender.send(batch, budget), config.numThreads())
          .subscribe(this::account, this::fail, this::complete);
    }

    boolean isDone() {
      return done.isDone();
    }

    synchronized void markEmpty() {
      finished = true;
      done.complete(null);
    }

    synchronized void account(BatchOutcome outcome) {
      if (finished) {
        return;
      }
      int n = outcome.sent() + outcome.dropped();
      accounted += n;
      sentCount += outcome.sent();
      droppedCount += outcome.dropped();
      failedCount += outcome.droppedHttp() + outcome.droppedOther();
      if (firstError == null) {
        firstError = outcome.error();
      }
      meters.record(outcome);
      sent.addAndGet(outcome.sent());
      dropped.addAndGet(outcome.dropped());
    }

    void fail(Throwable e) {
      // the sender never fails; if it does, count what is left as dropped
      synchronized (this) {
        if (firstError == null) {
          firstError = "unexpected failure: " + e;
        }
      }
      finish(null);
    }

    void complete() {
      finish(null);
    }

    /** Cancels what is in flight, counting it as dropped; nothing if already finished. */
    void cancel(String reason) {
      Disposable d = subscription;
      synchronized (this) {
        if (finished) {
          return;
        }
      }
      if (d != null) {
        d.dispose();
      }
      finish(reason);
    }

    /** Waits until done or the deadline; returns whether it is done. */
    boolean await(long deadlineNanos) {
      try {
        done.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    private void finish(String cancelReason) {
      synchronized (this) {
        if (finished) {
          return;
        }
        finished = true;
        int rest = total - accounted;
        if (rest > 0) {
          BatchOutcome lost = BatchOutcome.other(rest, cancelReason != null ? cancelReason : "not sent");
          accounted = total;
          droppedCount += rest;
          failedCount += rest;
          if (firstError == null) {
            firstError = lost.error();
          }
          meters.record(lost);
          dropped.addAndGet(rest);
        }
      }
      meters.recordPublishTime(clock.monotonicTime() - startNanos);
      if (failedCount == 0) {
        // every request was answered 2xx; validation rejections show in lastError
        lastSuccess = Instant.ofEpochMilli(clock.wallTime());
      }
      if (droppedCount == 0) {
        lastError = null;
      } else {
        lastError = firstError;
        warnings.warn("dropped " + droppedCount + " of " + total + " measurements of the step ending "
            + Instant.ofEpochMilli(timestamp) + " sent to " + config.uri() + ": " + firstError);
      }
      done.complete(null);
    }
  }
}
