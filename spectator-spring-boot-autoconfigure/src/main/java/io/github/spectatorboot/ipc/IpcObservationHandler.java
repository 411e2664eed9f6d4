package io.github.spectatorboot.ipc;

import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.ipc.IpcLogEntry;
import com.netflix.spectator.ipc.IpcLogger;
import com.netflix.spectator.ipc.IpcResult;
import com.netflix.spectator.ipc.IpcStatus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/**
 * Turns each observation of one kind of Spring HTTP exchange into an {@link IpcLogEntry} of
 * Spectator's {@link IpcLogger}: the entry starts with the observation and is logged when it
 * stops, so names, tag keys, value sets and the status mapping are spectator-ext-ipc's own.
 *
 * <p>Why an observation handler rather than filters and interceptors of our own: Spring already
 * observes every server exchange (MVC's {@code ServerHttpObservationFilter}, WebFlux's
 * {@code HttpWebHandlerAdapter}) and every client exchange of a {@code RestTemplate},
 * {@code RestClient} or {@code WebClient} built from Boot's builders, and the observation
 * already knows what a filter would have to work out again: the route template (set by the
 * handler mapping), the final status after exception handlers and error pages ran, a client
 * that went away, the end of a streamed response, the URI template of a client call. A filter
 * of ours would see an exception before the exception handlers turned it into a status, would
 * need one implementation per stack, and would add its own per-request cost on top of the
 * observation Boot runs anyway. The benchmark {@code IpcServerBenchmark} measures both designs;
 * {@code IpcInstrumentationBenchmark} measures this handler's cost per request against
 * Micrometer's {@code http.server.requests} (see the README, Request metrics cost).
 *
 * <p>Instrumentation never throws into the exchange: a failure is counted in
 * {@code spectator.ipc.failures} and logged once at WARN, later ones at DEBUG.
 *
 * @param <C> the observation context this handler reads
 */
public abstract class IpcObservationHandler<C extends Observation.Context> implements ObservationHandler<C> {

  /** Endpoint of a request that matched no route, or a client call made without a URI template. */
  public static final String UNKNOWN_ENDPOINT = "unknown";

  /** Pattern of Boot's static resource handler, which matches any path no route took. */
  private static final String CATCH_ALL = "/**";

  private static final Logger LOGGER = LoggerFactory.getLogger(IpcObservationHandler.class);

  private static final Class<?> NETTY_TIMEOUT = ClassUtils.isPresent("io.netty.handler.timeout.TimeoutException", null)
      ? ClassUtils.resolveClassName("io.netty.handler.timeout.TimeoutException", null)
      : null;

  /** How deep {@link #timeoutIn} looks into an exception's causes; a cycle stops there too. */
  private static final int MAX_CAUSES = 8;

  private final IpcLogger logger;
  private final String owner;
  private final boolean server;
  private final Counter failures;
  private final AtomicBoolean warned = new AtomicBoolean();

  /**
   * @param registry where failures of the instrumentation itself are counted
   * @param logger the logger whose entries record the metrics; one for the whole application
   * @param owner value of {@code owner}: the Spring module that runs the observed exchange
   * @param server whether this handler records the server side ({@code ipc.server.*}) or the client side
   */
  IpcObservationHandler(Registry registry, IpcLogger logger, String owner, boolean server) {
    this.logger = logger;
    this.owner = owner;
    this.server = server;
    this.failures = registry.counter("spectator.ipc.failures", "owner", owner);
  }

  @Override public final void onStart(C context) {
    try {
      IpcLogEntry entry = server ? logger.createServerEntry() : logger.createClientEntry();
      entry.withOwner(owner);
      started(context, entry);
      context.put(IpcLogEntry.class, entry.markStart());
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override public final void onStop(C context) {
    IpcLogEntry entry = (IpcLogEntry) context.remove(IpcLogEntry.class);
    if (entry == null) {
      return;
    }
    try {
      if (!stopped(context, entry)) {
        // not ours to measure: the entry goes back to the logger without touching a meter
        entry.disableMetrics();
      }
      entry.log();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /** Fills in what is known when the exchange starts: the method, request headers. */
  abstract void started(C context, IpcLogEntry entry);

  /**
   * Fills in the outcome when the exchange has ended.
   *
   * @return false if the exchange is not to be measured after all
   */
  abstract boolean stopped(C context, IpcLogEntry entry);

  /**
   * The outcome of a served request: the route template, else {@link #UNKNOWN_ENDPOINT} (also
   * for a 404 from the static resource handler, whose {@code /**} matches every path); a
   * request the client gave up on is {@code cancelled}, without an HTTP status; otherwise the status
   * the client received decides, and an exception, handled or not, only adds its name as
   * {@code ipc.status.detail}.
   */
  static void served(IpcLogEntry entry, String pathPattern, int httpStatus, Throwable error, boolean cancelled) {
    boolean routed = pathPattern != null && !(httpStatus == 404 && CATCH_ALL.equals(pathPattern));
    entry.withEndpoint(routed ? pathPattern : UNKNOWN_ENDPOINT);
    if (cancelled) {
      // nothing reached the client: the response's status is only the default
      entry.withStatus(IpcStatus.cancelled);
    } else if (httpStatus > 0) {
      entry.withHttpStatus(httpStatus);
    }
    if (error != null) {
      entry.withException(error);
    }
  }

  /**
   * The outcome of a client call: the path of the URI template, else {@link #UNKNOWN_ENDPOINT}
   * (never the raw path, which would make a tag value of every id in it); a call given up on is
   * {@code cancelled}; a response's status decides; without a response the exception does,
   * through Spectator's own mapping of the I/O exception beneath Spring's wrapper, except that a
   * timeout anywhere among its causes is {@code timeout}, named by that timeout's exception.
   */
  static void called(IpcLogEntry entry, String uriTemplate, int httpStatus, Throwable transportError,
      boolean cancelled) {
    entry.withEndpoint(uriTemplate != null ? templatePath(uriTemplate) : UNKNOWN_ENDPOINT);
    if (cancelled) {
      entry.withStatus(IpcStatus.cancelled);
    } else if (httpStatus > 0) {
      entry.withHttpStatus(httpStatus);
      if (transportError == null && IpcStatus.forHttpStatus(httpStatus).result() == IpcResult.success) {
        // nothing retries a success: the attempt is final whatever its number (and final is the default)
        entry.withAttemptFinal(true);
      }
    }
    if (transportError != null) {
      Throwable timeout = timeoutIn(transportError);
      if (timeout != null) {
        entry.withStatus(IpcStatus.timeout);
        entry.withException(timeout);
      } else {
        entry.withException(transportError);
      }
    }
  }

  /**
   * The timeout among {@code error} and its causes, else null. Clients wrap it: Spring's
   * {@code ReactorClientHttpRequest} puts Netty's {@code ReadTimeoutException} inside an
   * {@code IOException}, which Spectator alone would map to {@code connection_error}; the JDK
   * client's {@code HttpTimeoutException} is an {@code IOException} too; and Netty's read and
   * write timeouts are not {@code java.util.concurrent.TimeoutException}s.
   */
  static Throwable timeoutIn(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      if (t instanceof SocketTimeoutException || t instanceof TimeoutException || t instanceof HttpTimeoutException
          || (NETTY_TIMEOUT != null && NETTY_TIMEOUT.isInstance(t))) {
        return t;
      }
    }
    return null;
  }

  /**
   * The path of a URI template: without scheme, authority and query, as Spring's own client
   * observation convention reduces it ({@code https://host/orders/{id}?x={x}} gives
   * {@code /orders/{id}}).
   */
  static String templatePath(String template) {
    int start = 0;
    int scheme = template.indexOf("://");
    if (scheme >= 0) {
      int slash = template.indexOf('/', scheme + 3);
      if (slash < 0) {
        return "/";
      }
      start = slash;
    }
    int query = template.indexOf('?', start);
    int end = query >= 0 ? query : template.length();
    return start == 0 && end == template.length() ? template : template.substring(start, end);
  }

  private void failed(RuntimeException e) {
    failures.increment();
    if (warned.compareAndSet(false, true)) {
      LOGGER.warn("Could not record IPC metrics of an HTTP exchange ({}); the exchange is not affected, "
          + "later problems are logged at DEBUG and counted in spectator.ipc.failures", owner, e);
    } else {
      LOGGER.debug("Could not record IPC metrics of an HTTP exchange ({})", owner, e);
    }
  }
}
