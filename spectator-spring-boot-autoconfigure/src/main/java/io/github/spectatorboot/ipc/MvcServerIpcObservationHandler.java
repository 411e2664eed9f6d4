package io.github.spectatorboot.ipc;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.ipc.IpcLogEntry;
import com.netflix.spectator.ipc.IpcLogger;
import io.micrometer.observation.Observation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * {@code ipc.server.call} for every request a Spring MVC application serves, from the observation
 * of Spring's {@code ServerHttpObservationFilter}: it ends when the response is complete, after
 * asynchronous and streaming handlers, exception handlers and error pages.
 */
public final class MvcServerIpcObservationHandler extends IpcObservationHandler<ServerRequestObservationContext> {

  /** Value of {@code owner}: the Spring module that serves the request. */
  public static final String OWNER = "spring-webmvc";

  public MvcServerIpcObservationHandler(Registry registry, IpcLogger logger) {
    super(registry, logger, OWNER, true);
  }

  @Override public boolean supportsContext(Observation.Context context) {
    return context instanceof ServerRequestObservationContext;
  }

  @Override void started(ServerRequestObservationContext context, IpcLogEntry entry) {
    HttpServletRequest request = context.getCarrier();
    entry.withHttpMethod(request.getMethod());
    entry.withRequestContentLength(request.getContentLengthLong());
    NetflixHeaderNames.addRequestHeaders(entry, request::getHeader);
  }

  @Override boolean stopped(ServerRequestObservationContext context, IpcLogEntry entry) {
    HttpServletResponse response = context.getResponse();
    served(entry, context.getPathPattern(), response == null ? 0 : response.getStatus(), context.getError(), false);
    return true;
  }
}
