package io.github.spectatorboot.publish;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts one encoded batch and tells what became of its measurements; the returned {@link Mono}
 * never fails.
 *
 * <p>Retries follow Spectator Java's {@code RetryPolicy.SAFE} for a POST: at most
 * {@value #MAX_ATTEMPTS} attempts, only on 429, 503 and failures to connect, with exponential
 * backoff, and only within the time the caller allows for the batch (so a step's retries end before
 * the next step is sent, and the final flush's end within the shutdown timeout). Other statuses,
 * read timeouts and connections lost mid-request are not retried: the backend may already have
 * counted the data, and the aggregator would count it twice.
 *
 * <p>Public for the LWC streamer ({@code io.github.spectatorboot.lwc}), whose posts of evaluated
 * values retry by the same rules, as {@code AtlasRegistry} posts both through one HTTP client
 * with one retry policy; applications have no use for it.
 */
public final class AtlasSender {

  /** Attempts per request, the first included. */
  static final int MAX_ATTEMPTS = 3;

  private final Supplier<WebClient> client;
  private final URI uri;
  private final boolean gzip;
  private final MediaType contentType;
  private final Duration retryBackoff;
  private final Duration attemptTimeout;
  private final Scheduler timer;
  /** Completed by {@link #stopRetrying()}; a future rather than a sink, whose classes would load with the sender. */
  private final CompletableFuture<Void> stopping = new CompletableFuture<>();
  private volatile boolean stopped;

  /**
   * @param client the client, asked for at each attempt (a failure to supply it is a failed attempt)
   * @param contentType the media type of the bodies, which are gzip-compressed
   * @param retryBackoff the first backoff; the next one doubles, each with jitter
   * @param attemptTimeout bound on one attempt, as a backstop behind the connect and read timeouts
   *     (a backend that stops reading the request body would otherwise hold it)
   * @param timer where backoffs and the backstop wait
   */
  AtlasSender(Supplier<WebClient> client, URI uri, MediaType contentType, Duration retryBackoff, Duration attemptTimeout,
      Scheduler timer) {
    this(client, uri, true, contentType, retryBackoff, attemptTimeout, timer);
  }

  /**
   * As the package's own constructor, for JSON bodies that are gzip-compressed or not.
   *
   * @param client the client, asked for at each attempt (a failure to supply it is a failed attempt)
   * @param uri where batches are posted
   * @param gzip whether the bodies are gzip-compressed ({@code Content-Encoding: gzip})
   * @param retryBackoff the first backoff; the next one doubles, each with jitter
   * @param attemptTimeout bound on one attempt, as a backstop behind the connect and read timeouts
   * @param timer where backoffs and the backstop wait
   */
  public AtlasSender(Supplier<WebClient> client, URI uri, boolean gzip, Duration retryBackoff, Duration attemptTimeout,
      Scheduler timer) {
    this(client, uri, gzip, MediaType.APPLICATION_JSON, retryBackoff, attemptTimeout, timer);
  }

  private AtlasSender(Supplier<WebClient> client, URI uri, boolean gzip, MediaType contentType, Duration retryBackoff,
      Duration attemptTimeout, Scheduler timer) {
    this.client = client;
    this.uri = uri;
    this.gzip = gzip;
    this.contentType = contentType;
    this.retryBackoff = retryBackoff;
    this.attemptTimeout = attemptTimeout;
    this.timer = timer;
  }

  /**
   * Sends {@code batch}, retries included, within {@code budget}: a retry is made only if its
   * backoff ends before the budget does, and an attempt waits at most what is left of it.
   */
  public Mono<BatchOutcome> send(EncodedBatch batch, Duration budget) {
    int n = batch.size();
    long deadline = timer.now(TimeUnit.NANOSECONDS) + budget.toNanos();
    return attempt(batch, 1, deadline)
        .map(answer -> outcome(n, answer))
        .onErrorResume(e -> Mono.just(e instanceof RetryableAnswer r
            ? outcome(n, r.answer)
            : BatchOutcome.other(n, describe(e))));
  }

  /**
   * Ends the backoffs waiting now and allows no further retry: at shutdown a refused or failing
   * backend gets one more attempt per request at most, not seconds of backoff.
   */
  void stopRetrying() {
    stopped = true;
    stopping.complete(null);
  }

  private Mono<Answer> attempt(EncodedBatch batch, int attempt, long deadline) {
    return Mono.defer(() -> {
      long left = deadline - timer.now(TimeUnit.NANOSECONDS);
      if (left <= 0) {
        return Mono.error(new TimeoutException("no time left for the request"));
      }
      Duration limit = Duration.ofNanos(Math.min(attemptTimeout.toNanos(), left));
      return post(batch)
          .timeout(limit, timer)
          .onErrorMap(TimeoutException.class, e -> new TimeoutException("no answer within " + limit));
    })
        .flatMap(answer -> isRetryableStatus(answer.status())
            ? Mono.<Answer>error(new RetryableAnswer(answer))
            : Mono.just(answer))
        .onErrorResume(e -> retry(batch, attempt, deadline, e));
  }

  private Mono<Answer> retry(EncodedBatch batch, int attempt, long deadline, Throwable failure) {
    if (attempt >= MAX_ATTEMPTS || stopped || !isRetryable(failure)) {
      return Mono.error(failure);
    }
    // exponential backoff with jitter, as Reactor's Retry.backoff: base * 2^(k-1), +-50%
    long base = retryBackoff.toNanos() << (attempt - 1);
    long backoff = base / 2 + ThreadLocalRandom.current().nextLong(base + 1);
    if (timer.now(TimeUnit.NANOSECONDS) + backoff >= deadline) {
      return Mono.error(failure);
    }
    return Mono.delay(Duration.ofNanos(backoff), timer).then()
        .or(Mono.fromFuture(stopping, true))
        .then(Mono.defer(() -> attempt(batch, attempt + 1, deadline)));
  }

  private Mono<Answer> post(EncodedBatch batch) {
    return client.get().post()
        .uri(uri)
        .contentType(contentType)
        .headers(h -> {
          if (gzip) {
            h.set(HttpHeaders.CONTENT_ENCODING, "gzip");
          }
        })
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(batch.body())
        .exchangeToMono(response -> response.bodyToMono(String.class)
            .defaultIfEmpty("")
            .map(body -> new Answer(response.statusCode().value(), body)));
  }

  /** Sorts an answer's measurements into sent and dropped, as Spectator Java's {@code ValidationHelper} does. */
  static BatchOutcome outcome(int n, Answer answer) {
    int status = answer.status();
    if (status == 202 || status == 400) {
      ValidationResponse v = parse(answer.body());
      if (v != null && v.isValidation()) {
        // a 400 means every measurement failed, whatever the count says
        int rejected = status == 400 && v.rejected() <= 0 ? n : Math.max(0, Math.min(n, v.rejected()));
        String error = rejected == 0 ? null
            : rejected + " of " + n + " measurements rejected by validation (HTTP " + status + "): " + v.messages();
        return new BatchOutcome(n - rejected, rejected, 0, 0, error);
      }
      if (status == 202) {
        // accepted, but the body does not say how much was rejected: count it as sent
        return BatchOutcome.sent(n);
      }
    }
    if (status >= 200 && status < 300) {
      return BatchOutcome.sent(n);
    }
    return BatchOutcome.httpError(n, "HTTP " + status);
  }

  private static ValidationResponse parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(body, ValidationResponse.class);
    } catch (JacksonException e) {
      return null;
    }
  }

  private static boolean isRetryableStatus(int status) {
    return status == 429 || status == 503;
  }

  private static boolean isRetryable(Throwable e) {
    if (e instanceof RetryableAnswer) {
      return true;
    }
    // WebClient wraps the cause; Netty's ConnectTimeoutException and AnnotatedConnectException
    // (refused) are ConnectExceptions
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    if (e instanceof TimeoutException) {
      return e.getMessage();
    }
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Status and body of an HTTP answer. */
  record Answer(int status, String body) {}

  /** A 429 or 503, as an error so that the retry sees it. */
  /**
   * The mapper for Atlas's answers, built when the first answer is read (on the publisher's
   * thread) rather than with the sender: building it takes about 6 ms of the application's start-up.
   */
  private static final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  private static final class RetryableAnswer extends RuntimeException {
    private final transient Answer answer;

    RetryableAnswer(Answer answer) {
      super("HTTP " + answer.status(), null, false, false);
      this.answer = answer;
    }
  }
}
