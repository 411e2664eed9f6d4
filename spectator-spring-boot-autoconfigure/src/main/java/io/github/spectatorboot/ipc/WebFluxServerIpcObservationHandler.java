package io.github.spectatorboot.ipc;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.ipc.IpcLogEntry;
import com.netflix.spectator.ipc.IpcLogger;
import io.micrometer.observation.Observation;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * {@code ipc.server.call} for every request a Spring WebFlux application serves, from the
 * observation of Spring's {@code HttpWebHandlerAdapter}: it ends when the response has been
 * written (a streamed body included), or as {@code cancelled} when the client went away first.
 */
public final class WebFluxServerIpcObservationHandler
    extends IpcObservationHandler<ServerRequestObservationContext> {

  /** Value of {@code owner}: the Spring module that serves the request. */
  public static final String OWNER = "spring-webflux";

  public WebFluxServerIpcObservationHandler(Registry registry, IpcLogger logger) {
    super(registry, logger, OWNER, true);
  }

  @Override public boolean supportsContext(Observation.Context context) {
    return context instanceof ServerRequestObservationContext;
  }

  @Override void started(ServerRequestObservationContext context, IpcLogEntry entry) {
    HttpHeaders headers = context.getCarrier().getHeaders();
    entry.withHttpMethod(context.getCarrier().getMethod().name());
    entry.withRequestContentLength(headers.getContentLength());
    NetflixHeaderNames.addRequestHeaders(entry, headers::getFirst);
  }

  @Override boolean stopped(ServerRequestObservationContext context, IpcLogEntry entry) {
    ServerHttpResponse response = context.getResponse();
    HttpStatusCode status = response == null ? null : response.getStatusCode();
    // a response whose status nobody set goes out as 200
    served(entry, context.getPathPattern(), status == null ? 200 : status.value(), context.getError(),
        context.isConnectionAborted());
    return true;
  }
}
