package io.github.spectatorboot.ipc;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.ipc.IpcLogEntry;
import com.netflix.spectator.ipc.IpcLogger;
import io.micrometer.observation.Observation;
import java.net.URI;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * {@code ipc.client.call} for every exchange of a {@code WebClient} that has an observation
 * registry (those built from Spring Boot's builder), one entry per attempt: a Reactor
 * {@code retry} subscribes again and so makes a new exchange, numbered in {@code ipc.attempt}
 * when the caller passed {@link IpcAttempts}. Connection failures, timeouts and
 * cancelled calls are included. Sends the application's identity as Netflix headers.
 */
public final class WebClientIpcObservationHandler
    extends ClientIpcObservationHandler<ClientRequest.Builder, ClientRequestObservationContext> {

  /** Value of {@code owner}: the Spring module of {@code WebClient}. */
  public static final String OWNER = "spring-webflux";

  /**
   * @param commonTags the application's common tags, whose {@code nf.*} identity is sent as Netflix headers
   * @param excluded requests not to measure, such as the publisher's own
   */
  public WebClientIpcObservationHandler(Registry registry, IpcLogger logger, Map<String, String> commonTags,
      Predicate<URI> excluded) {
    super(registry, logger, OWNER, commonTags, excluded);
  }

  @Override public boolean supportsContext(Observation.Context context) {
    return context instanceof ClientRequestObservationContext;
  }

  @Override void started(ClientRequestObservationContext context, IpcLogEntry entry) {
    // the request is built after the observation starts: headers go to its builder
    sendIdentity(context);
    ClientRequest.Builder request = context.getCarrier();
    if (request != null) {
      request.attributes(attributes -> numberAttempt(entry, attributes));
    }
  }

  @Override boolean stopped(ClientRequestObservationContext context, IpcLogEntry entry) {
    ClientRequest request = context.getRequest();
    if (request != null) {
      if (excluded(request.url())) {
        return false;
      }
      entry.withHttpMethod(request.method().name());
    }
    ClientResponse response = context.getResponse();
    int status = 0;
    if (response != null) {
      status = response.statusCode().value();
      HttpHeaders headers = response.headers().asHttpHeaders();
      NetflixHeaderNames.addResponseHeaders(entry, headers::getFirst);
    }
    Throwable error = context.getError();
    if (error instanceof WebClientRequestException && error.getCause() != null) {
      // Spring's wrapper of the I/O exception, which Spectator maps (connection_error, timeout)
      error = error.getCause();
    }
    called(entry, context.getUriTemplate(), status, error, context.isAborted());
    return true;
  }
}
