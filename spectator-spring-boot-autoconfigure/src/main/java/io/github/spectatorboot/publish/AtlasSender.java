package io.github.spectatorboot.publish;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts one encoded batch and tells what became of its measurements; the returned {@link Mono}
 * never fails.
 *
 * <p>Retries follow Spectator Java's {@code RetryPolicy.SAFE} for a POST: at most
 * {@value #MAX_ATTEMPTS} attempts, only on 429, 503 and failures to connect, with exponential
 * backoff. Other statuses, read timeouts and connections lost mid-request are not retried: the
 * backend may already have counted the data, and the aggregator would count it twice.
 */
final class AtlasSender {

  /** Attempts per request, the first included. */
  static final int MAX_ATTEMPTS = 3;

  private static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final Supplier<WebClient> client;
  private final URI uri;
  private final Duration retryBackoff;
  private final Duration attemptTimeout;
  private final Scheduler timer;

  /**
   * @param client the client, asked for at each attempt (a failure to supply it is a failed attempt)
   * @param retryBackoff the first backoff; the next one doubles, each with jitter
   * @param attemptTimeout bound on one attempt, as a backstop behind the connect and read timeouts
   *     (a backend that stops reading the request body would otherwise hold it)
   * @param timer where backoffs and the backstop wait
   */
  AtlasSender(Supplier<WebClient> client, URI uri, Duration retryBackoff, Duration attemptTimeout, Scheduler timer) {
    this.client = client;
    this.uri = uri;
    this.retryBackoff = retryBackoff;
    this.attemptTimeout = attemptTimeout;
    this.timer = timer;
  }

  Mono<BatchOutcome> send(EncodedBatch batch) {
    int n = batch.size();
    return Mono.defer(() -> post(batch))
        .timeout(attemptTimeout, timer)
        .flatMap(answer -> isRetryableStatus(answer.status())
            ? Mono.<Answer>error(new RetryableAnswer(answer))
            : Mono.just(answer))
        .retryWhen(Retry.backoff(MAX_ATTEMPTS - 1, retryBackoff)
            .filter(AtlasSender::isRetryable)
            .scheduler(timer)
            .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
        .map(answer -> outcome(n, answer))
        .onErrorResume(e -> Mono.just(e instanceof RetryableAnswer r
            ? outcome(n, r.answer)
            : BatchOutcome.other(n, describe(e))));
  }

  private Mono<Answer> post(EncodedBatch batch) {
    return client.get().post()
        .uri(uri)
        .contentType(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.CONTENT_ENCODING, "gzip")
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
      return JSON.readValue(body, ValidationResponse.class);
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

  private String describe(Throwable e) {
    if (e instanceof TimeoutException) {
      return "no answer within " + attemptTimeout;
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

  /** A 429 or 503, as an error so that {@link Retry} sees it. */
  private static final class RetryableAnswer extends RuntimeException {
    private final transient Answer answer;

    RetryableAnswer(Answer answer) {
      super("HTTP " + answer.status(), null, false, false);
      this.answer = answer;
    }
  }
}
