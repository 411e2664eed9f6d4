package io.github.spectatorboot.autoconfigure;

import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.ClassUtils;

/**
 * A Micrometer {@link MeterObservationHandler} (Boot's {@code DefaultMeterObservationHandler},
 * typically) that leaves the HTTP request observations to the IPC metrics: without it, the
 * handler would build the ids of {@code http.server.requests} / {@code http.client.requests} at
 * every request, only for the starter's {@code MeterFilter} to deny them. Every other observation
 * goes to the wrapped handler unchanged.
 */
public final class MeterObservationHandlerWithoutHttp implements MeterObservationHandler<Observation.Context> {

  private static final String[] SERVER_CONTEXTS = {
      "org.springframework.http.server.observation.ServerRequestObservationContext",
      "org.springframework.http.server.reactive.observation.ServerRequestObservationContext"};
  private static final String[] CLIENT_CONTEXTS = {
      "org.springframework.http.client.observation.ClientRequestObservationContext",
      "org.springframework.web.reactive.function.client.ClientRequestObservationContext"};

  private final ObservationHandler<Observation.Context> delegate;
  /** The request contexts of the sides the IPC metrics measure; looked up by name, as a stack may be absent. */
  private final Class<?>[] replaced;

  /**
   * Wraps {@code delegate} so that it no longer sees the server requests ({@code server}) and the
   * client requests ({@code client}) that the IPC metrics measure.
   */
  @SuppressWarnings("unchecked")
  public MeterObservationHandlerWithoutHttp(MeterObservationHandler<?> delegate, boolean server, boolean client) {
    this.delegate = (ObservationHandler<Observation.Context>) delegate;
    List<Class<?>> types = new ArrayList<>();
    if (server) {
      addPresent(types, SERVER_CONTEXTS);
    }
    if (client) {
      addPresent(types, CLIENT_CONTEXTS);
    }
    this.replaced = types.toArray(new Class<?>[0]);
  }

  private static void addPresent(List<Class<?>> types, String[] names) {
    ClassLoader loader = MeterObservationHandlerWithoutHttp.class.getClassLoader();
    for (String name : names) {
      if (ClassUtils.isPresent(name, loader)) {
        types.add(ClassUtils.resolveClassName(name, loader));
      }
    }
  }

  @Override public boolean supportsContext(Observation.Context context) {
    for (Class<?> type : replaced) {
      if (type.isInstance(context)) {
        return false;
      }
    }
    return delegate.supportsContext(context);
  }

  @Override public void onStart(Observation.Context context) {
    delegate.onStart(context);
  }

  @Override public void onError(Observation.Context context) {
    delegate.onError(context);
  }

  @Override public void onEvent(Observation.Event event, Observation.Context context) {
    delegate.onEvent(event, context);
  }

  @Override public void onScopeOpened(Observation.Context context) {
    delegate.onScopeOpened(context);
  }

  @Override public void onScopeClosed(Observation.Context context) {
    delegate.onScopeClosed(context);
  }

  @Override public void onScopeReset(Observation.Context context) {
    delegate.onScopeReset(context);
  }

  @Override public void onStop(Observation.Context context) {
    delegate.onStop(context);
  }
}
