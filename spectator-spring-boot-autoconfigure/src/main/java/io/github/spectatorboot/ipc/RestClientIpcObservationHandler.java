package io.github.spectatorboot.ipc;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.ipc.IpcLogEntry;
import com.netflix.spectator.ipc.IpcLogger;
import io.micrometer.observation.Observation;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.web.client.ResourceAccessException;

/**
 * {@code ipc.client.call} for every exchange of a {@code RestClient} or {@code RestTemplate} that
 * has an observation registry (those built from Spring Boot's builders), one entry per exchange:
 * connection failures and timeouts included. A {@code RestClient} call that carries
 * {@link IpcAttempts} is numbered in {@code ipc.attempt}; a {@code RestTemplate} has no request
 * attributes, so its calls are always {@code initial}. Sends the application's identity as Netflix headers.
 */
public final class RestClientIpcObservationHandler
    extends ClientIpcObservationHandler<ClientHttpRequest, ClientRequestObservationContext> {

  /** Value of {@code owner}: the Spring module of {@code RestClient} and {@code RestTemplate}. */
  public static final String OWNER = "spring-web";

  /**
   * @param commonTags the application's common tags, whose {@code nf.*} identity is sent as Netflix headers
   * @param excluded requests not to measure, such as the publisher's own
   */
  public RestClientIpcObservationHandler(Registry registry, IpcLogger logger, Map<String, String> commonTags,
      Predicate<URI> excluded) {
    super(registry, logger, OWNER, commonTags, excluded);
  }

  @Override public boolean supportsContext(Observation.Context context) {
    return context instanceof ClientRequestObservationContext;
  }

  @Override void started(ClientRequestObservationContext context, IpcLogEntry entry) {
    ClientHttpRequest request = context.getCarrier();
    if (request == null) {
      return;
    }
    entry.withHttpMethod(request.getMethod().name());
    numberAttempt(entry, request.getAttributes());
    sendIdentity(context);
  }

  @Override boolean stopped(ClientRequestObservationContext context, IpcLogEntry entry) {
    ClientHttpRequest request = context.getCarrier();
    if (request != null && excluded(request.getURI())) {
      return false;
    }
    ClientHttpResponse response = context.getResponse();
    int status = 0;
    if (response != null) {
      try {
        status = response.getStatusCode().value();
      } catch (IOException e) {
        // the status line could not be read: the exception below tells what happened
      }
      HttpHeaders headers = response.getHeaders();
      NetflixHeaderNames.addResponseHeaders(entry, headers::getFirst);
    }
    Throwable error = context.getError();
    if (error instanceof ResourceAccessException && error.getCause() != null) {
      // Spring's wrapper of the I/O exception, which Spectator maps (connection_error, timeout)
      error = error.getCause();
    }
    called(entry, context.getUriTemplate(), status, error, false);
    return true;
  }
}
