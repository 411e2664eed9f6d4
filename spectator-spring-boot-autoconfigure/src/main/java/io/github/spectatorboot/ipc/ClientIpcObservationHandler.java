package io.github.spectatorboot.ipc;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.ipc.IpcLogEntry;
import com.netflix.spectator.ipc.IpcLogger;
import io.micrometer.observation.transport.RequestReplySenderContext;
import java.net.URI;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The client side: sends the application's identity as Netflix headers when the exchange starts,
 * and leaves out the exchanges it is told not to measure, such as the publisher's own.
 *
 * @param <Q> the request (or request builder) the context carries
 * @param <C> the observation context this handler reads
 */
public abstract class ClientIpcObservationHandler<Q, C extends RequestReplySenderContext<Q, ?>>
    extends IpcObservationHandler<C> {

  private final String[] identity;
  private final Predicate<URI> excluded;

  /**
   * @param commonTags the application's common tags, whose {@code nf.*} identity is sent as Netflix headers
   * @param excluded requests not to measure, such as the publisher's own
   */
  ClientIpcObservationHandler(Registry registry, IpcLogger logger, String owner, Map<String, String> commonTags,
      Predicate<URI> excluded) {
    super(registry, logger, owner, false);
    this.identity = NetflixHeaderNames.identity(commonTags);
    this.excluded = excluded;
  }

  /** Adds the identity headers to the request through the context's own propagation setter. */
  final void sendIdentity(C context) {
    Q carrier = context.getCarrier();
    if (carrier == null) {
      return;
    }
    for (int i = 0; i < identity.length; i += 2) {
      context.getSetter().set(carrier, identity[i], identity[i + 1]);
    }
  }

  /**
   * Numbers the exchange among the attempts of its call when the caller passed {@link IpcAttempts}
   * as a request attribute ({@code ipc.attempt}, and {@code ipc.attempt.final} for the last one
   * allowed; a success is made final when it stops). Called when the exchange starts, as a retry
   * may start before the observation of the attempt it replaces has stopped.
   */
  static void numberAttempt(IpcLogEntry entry, Map<String, Object> attributes) {
    IpcAttempts attempts = IpcAttempts.from(attributes);
    if (attempts != null) {
      int attempt = attempts.next();
      entry.withAttempt(attempt).withAttemptFinal(attempts.isLast(attempt));
    }
  }

  /** Whether a request to {@code uri} is one not to measure. */
  final boolean excluded(URI uri) {
    return uri != null && excluded.test(uri);
  }
}
