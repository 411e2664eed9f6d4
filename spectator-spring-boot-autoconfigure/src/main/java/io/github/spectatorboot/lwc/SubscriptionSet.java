package io.github.spectatorboot.lwc;

import com.netflix.spectator.atlas.impl.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions in effect, kept as {@code AtlasRegistry}'s {@code SubscriptionManager} keeps
 * them: after every fetch, failed or not, each entry of the last good payload is given until
 * {@code now + ttl}, and entries past their time are dropped. So a subscription removed on the
 * server lingers for up to the TTL, and while lwcapi is unreachable the last good set stays.
 *
 * <p>Entries are filtered as {@code AtlasRegistry} filters them: only {@code TIME_SERIES} (or no
 * type), a frequency that is a multiple of the LWC step, and (unless asked) not the publish step.
 * An expression that does not parse is dropped and logged once.
 */
final class SubscriptionSet {

  private static final Logger LOGGER = LoggerFactory.getLogger(SubscriptionSet.class);
  private static final int MAX_LOGGED = 100;

  private final long stepMillis;
  private final long publishStepMillis;
  private final boolean ignorePublishStep;
  private final long ttlMillis;
  private final Set<String> loggedBad = ConcurrentHashMap.newKeySet();

  private List<Subscription> lastGood = List.of();
  private final Map<Subscription, Long> expiry = new LinkedHashMap<>();
  private volatile List<Subscription> current = List.of();

  SubscriptionSet(long stepMillis, long publishStepMillis, boolean ignorePublishStep, long ttlMillis) {
    this.stepMillis = stepMillis;
    this.publishStepMillis = publishStepMillis;
    this.ignorePublishStep = ignorePublishStep;
    this.ttlMillis = ttlMillis;
  }

  /**
   * Applies the result of one fetch at {@code now}.
   *
   * @param fetched the subscriptions of a 200 answer, or {@code null} for a 304 or a failure
   * @return the subscriptions now in effect
   */
  synchronized List<Subscription> update(List<Subscription> fetched, long now) {
    if (fetched != null) {
      lastGood = filter(fetched);
    }
    for (Subscription s : lastGood) {
      expiry.put(s, now + ttlMillis);
    }
    expiry.values().removeIf(t -> t < now);
    current = List.copyOf(expiry.keySet());
    return current;
  }

  /** The subscriptions in effect. */
  List<Subscription> current() {
    return current;
  }

  private List<Subscription> filter(List<Subscription> fetched) {
    Map<String, Subscription> kept = new HashMap<>();
    List<Subscription> out = new ArrayList<>();
    for (Subscription s : fetched) {
      if (s.getId() == null || s.getExpression() == null || !s.isTimeSeries() || !supported(s.getFrequency())
          || kept.containsKey(s.getId())) {
        continue;
      }
      if (parses(s)) {
        kept.put(s.getId(), s);
        out.add(s);
      }
    }
    return out;
  }

  private boolean supported(long frequency) {
    return frequency >= stepMillis && frequency % stepMillis == 0
        && (!ignorePublishStep || frequency != publishStepMillis);
  }

  private boolean parses(Subscription s) {
    try {
      s.dataExpr();
      return true;
    } catch (RuntimeException e) {
      if (loggedBad.size() < MAX_LOGGED && loggedBad.add(s.getExpression())) {
        LOGGER.warn("LWC subscription {} is not a data expression this client evaluates, skipped: {} ({})",
            s.getId(), s.getExpression(), e.getMessage());
      }
      return false;
    }
  }
}
