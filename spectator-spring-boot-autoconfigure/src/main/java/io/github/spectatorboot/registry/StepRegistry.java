package io.github.spectatorboot.registry;

import com.netflix.spectator.api.AbstractRegistry;
import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Counter;
import com.netflix.spectator.api.DistributionSummary;
import com.netflix.spectator.api.Gauge;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Meter;
import com.netflix.spectator.api.RegistryConfig;
import com.netflix.spectator.api.Timer;
import com.netflix.spectator.impl.AsciiSet;
import com.netflix.spectator.impl.SwapMeter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A Spectator {@link com.netflix.spectator.api.Registry} with Atlas step semantics whose meters
 * record without reading a clock, allocating or locking, and are rolled over by one call to
 * {@link #poll(long)} per step into an immutable {@link StepSnapshot}.
 *
 * <p>What each meter reports is the same as Netflix's {@code AtlasRegistry} with the lwc step
 * equal to the publish step: counters and the counting statistics of timers and distribution
 * summaries as the step's delta (and as a rate per second), {@code max} as the largest value in
 * the step, gauges as their last value. Differences, each for a reason:
 * <ul>
 *   <li>A value belongs to the step during which it was recorded <em>as seen by the poll</em>: a
 *       value recorded between a step boundary and the poll that follows it counts in the step
 *       that just ended. Reading the clock on every update, as {@code AtlasRegistry} does, would
 *       cost more than the rest of the update.</li>
 *   <li>Activity is noted by the poll, per step, so an idle meter or gauge may report for one step
 *       longer than {@code meter-ttl} after its last update, never shorter.</li>
 * </ul>
 *
 * <p>Tag keys and values are normalised when a meter is created: characters outside
 * {@code -._A-Za-z0-9~^} become {@code _}, so ids that differ only in such characters share one
 * meter. Asking for an id as another meter type than it was created with gives a no-op meter and
 * one warning. Beyond {@code maxMeters} meters, new ids get no-op meters; that is counted in
 * {@code spectator.registry.droppedMeters} and logged once. Such a no-op handle stays a no-op: ask
 * the registry again once meters have expired.
 */
public final class StepRegistry extends AbstractRegistry {

  /** Name of the counter of meter requests refused because {@code maxMeters} was reached. */
  public static final String DROPPED_METERS = "spectator.registry.droppedMeters";

  private static final int MAX_LOGGED_WARNINGS = 1000;
  /** How many polls a removed meter is still checked for values recorded by a thread that raced its removal. */
  private static final int RETIRED_POLLS = 3;
  private static final AsciiSet VALID_CHARACTERS = AsciiSet.fromPattern(AtlasNames.VALID_TAG_CHARACTERS);

  /** Thrown inside a meter factory to make the registry return a no-op meter without storing it. */
  private static final class MeterLimitReached extends RuntimeException {
    MeterLimitReached() {
      super("maxMeters reached", null, false, false);
    }
  }

  private static final MeterLimitReached LIMIT_REACHED = new MeterLimitReached();

  private final long stepMillis;
  private final long meterTtlMillis;
  private final int maxMeters;
  private final Map<String, String> commonTags;

  private final AtomicInteger meterCount = new AtomicInteger();
  private final Counter droppedMeters;
  private final AtomicBoolean limitLogged = new AtomicBoolean();
  private final Set<String> loggedWarnings = ConcurrentHashMap.newKeySet();

  private final ReentrantLock pollLock = new ReentrantLock();
  /** Meters removed by the last {@value #RETIRED_POLLS} polls, newest first. */
  private final ArrayDeque<List<StepMeter>> retired = new ArrayDeque<>();
  private volatile long lastPollTimestamp;
  private volatile StepSnapshot lastSnapshot;
  private final List<Consumer<StepSnapshot>> stepListeners = new CopyOnWriteArrayList<>();

  // sub-steps (LWC): written under pollLock only, so the roll-over reads them as plain fields
  private boolean subStepsOn;
  private long lastSubStepEnd;
  private int lastSubStepSize = 16;

  /** Handles of real meters by name and tag strings as passed; replaced when a poll removes meters. */
  private volatile LookupCache<Counter> counterLookups;
  private volatile LookupCache<Timer> timerLookups;
  private volatile LookupCache<DistributionSummary> summaryLookups;
  // bound once: a method reference made per call would be an allocation on the lookup path
  private final Function<Id, Counter> counterById = this::counter;
  private final Function<Id, Timer> timerById = this::timer;
  private final Function<Id, DistributionSummary> summaryById = this::distributionSummary;

  /** A registry with the given clock and settings. */
  public StepRegistry(Clock clock, StepRegistryConfig config) {
    super(clock, spectatorConfig(config));
    this.stepMillis = config.step().toMillis();
    this.meterTtlMillis = config.meterTtl().toMillis();
    this.maxMeters = config.maxMeters();
    clearLookupCaches();
    this.commonTags = normalize(config.commonTags());
    this.lastPollTimestamp = clock.wallTime() / stepMillis * stepMillis;
    this.lastSnapshot = StepSnapshot.empty(lastPollTimestamp, stepMillis, commonTags);
    this.droppedMeters = counter(DROPPED_METERS);
    pin(droppedMeters);
  }

  /** A registry with the system clock and the default settings. */
  public StepRegistry() {
    this(Clock.SYSTEM, StepRegistryConfig.defaults());
  }

  /** Length of a step in milliseconds. */
  public long stepMillis() {
    return stepMillis;
  }

  /** The common tags, normalised, sorted by key. */
  public Map<String, String> commonTags() {
    return commonTags;
  }

  /** End of the last polled step in epoch milliseconds. */
  public long lastPollTimestamp() {
    return lastPollTimestamp;
  }

  /** The snapshot returned by the last poll, or an empty one before the first poll. */
  public StepSnapshot lastSnapshot() {
    return lastSnapshot;
  }

  /** End of the last step boundary at or before the clock's current time. */
  public long lastStepBoundary() {
    long now = clock().wallTime();
    return now - Math.floorMod(now, stepMillis);
  }

  /** Rolls the completed step over; same as {@code poll(lastStepBoundary())}. */
  public StepSnapshot poll() {
    return poll(lastStepBoundary());
  }

  /**
   * Rolls every meter over into an immutable snapshot stamped {@code stepEnd}, and removes meters
   * idle for {@code meter-ttl}. Every value recorded since the previous poll is in the snapshot;
   * a value recorded while the poll runs lands in this step or the next, never both. Polls are
   * serialised; recording is never blocked.
   *
   * @param stepEnd end of the step in epoch milliseconds; normally a step boundary, and for a
   *     final flush on shutdown the end of the step in progress
   */
  public StepSnapshot poll(long stepEnd) {
    pollLock.lock();
    try {
      drainRetired();
      StepSnapshot.Builder out = new StepSnapshot.Builder(stepEnd, stepMillis, commonTags, lastSnapshot.size());
      List<StepMeter> removed = new ArrayList<>();
      Iterator<Meter> it = iterator();
      while (it.hasNext()) {
        if (!(it.next() instanceof StepMeter m)) {
          continue;
        }
        boolean active = m.rollover(out);
        if (active || m.lastActivity == StepMeter.NOT_POLLED) {
          m.lastActivity = stepEnd;
        } else if (!m.pinned && stepEnd - m.lastActivity >= meterTtlMillis) {
          // expire before removing: a recorder that sees the flag goes to the registry for a
          // new meter; one that got past it is caught by drainRetired at the next poll
          m.expire();
          it.remove();
          meterCount.decrementAndGet();
          removed.add(m);
        }
      }
      if (retired.size() == RETIRED_POLLS) {
        retired.removeLast();
      }
      retired.addFirst(removed);
      if (!removed.isEmpty()) {
        // the cached handles would still work (they look their meter up again), but the cache
        // would keep the strings of ids that are gone
        clearLookupCaches();
        cleanupCachedState();
      }
      StepSnapshot snapshot = out.build();
      lastPollTimestamp = stepEnd;
      lastSnapshot = snapshot;
      notifyStepListeners(snapshot);
      return snapshot;
    } finally {
      pollLock.unlock();
    }
  }

  /**
   * The values recorded so far in the step in progress, without rolling anything over; stamped
   * with the end of that step.
   */
  public StepSnapshot peek() {
    return peek(id -> true);
  }

  /** Like {@link #peek()}, for the meters whose id matches {@code filter} only. */
  public StepSnapshot peek(Predicate<Id> filter) {
    StepSnapshot.Builder out = new StepSnapshot.Builder(lastStepBoundary() + stepMillis, stepMillis, commonTags, 16);
    for (Meter meter : this) {
      if (meter instanceof StepMeter m && filter.test(m.id())) {
        m.peek(out);
      }
    }
    return out.build();
  }

  /**
   * The values of the sub-step that ends at {@code end}: for counters and the counting statistics
   * of timers and distribution summaries the amount since the previous sub-step, for {@code max}
   * the largest value since then, for gauges the current value. Ids carry {@code statistic} and
   * {@code atlas.dstype}; the snapshot's step is {@code subStepMillis}.
   *
   * <p>The accumulators of the publish step are not reset: the next {@link #poll(long)} reports
   * what it would have reported without sub-steps, to the bit, and the recording path does no
   * more work. The first call after {@link #stopSubSteps()} (or after a sub-step was skipped)
   * only takes the readings the next one needs, and returns an empty snapshot: the values since
   * the last reading span more than one sub-step, and which part of them fell into the sub-step
   * ending at {@code end} cannot be known without a clock read on every record. Each call reads
   * every meter; nothing is done between calls, so stop them when nobody needs the values.
   *
   * @param end end of the sub-step in epoch milliseconds, a multiple of {@code subStepMillis}
   * @param subStepMillis length of the sub-step; it divides {@link #stepMillis()}
   */
  public StepSnapshot pollSubStep(long end, long subStepMillis) {
    return subStep(end, subStepMillis, true);
  }

  /**
   * Takes the readings of the sub-step that ends at {@code end} as {@link #pollSubStep} does, but
   * reports nothing: the next {@code pollSubStep} (for the sub-step after this one) then reports
   * its sub-step in full. Cheaper than {@code pollSubStep} (no ids, no snapshot), for a consumer
   * that needs no values now but may need the next sub-step's.
   */
  public void readSubStep(long end, long subStepMillis) {
    subStep(end, subStepMillis, false);
  }

  private StepSnapshot subStep(long end, long subStepMillis, boolean report) {
    pollLock.lock();
    try {
      boolean emit = report && subStepsOn && lastSubStepEnd == end - subStepMillis;
      subStepsOn = true;
      StepSnapshot.Builder out = new StepSnapshot.Builder(end, subStepMillis, commonTags, emit ? lastSubStepSize : 0);
      for (Meter meter : this) {
        if (meter instanceof StepMeter m) {
          m.subStep(out, emit);
        }
      }
      lastSubStepEnd = end;
      if (emit) {
        lastSubStepSize = out.size();
      }
      return out.build();
    } finally {
      pollLock.unlock();
    }
  }

  /**
   * Stops keeping sub-step state: the next {@link #poll(long)} folds what the sub-steps took back
   * into the publish step and drops the state, after which polls do what they did before the
   * first sub-step.
   */
  public void stopSubSteps() {
    pollLock.lock();
    try {
      subStepsOn = false;
    } finally {
      pollLock.unlock();
    }
  }

  /** Whether sub-steps are taken; read by meters during a roll-over, under the poll lock. */
  boolean subStepsOn() {
    return subStepsOn;
  }

  /**
   * Moves values that recording threads put into meters after a recent poll removed them into the
   * live meters of the same ids, where this poll reports them. A thread can only do that if it read
   * the meter before the removal and was paused until after it; checking the meters removed by the
   * last {@value #RETIRED_POLLS} polls covers a pause of two whole steps.
   */
  private void drainRetired() {
    for (List<StepMeter> generation : retired) {
      for (StepMeter old : generation) {
        if (!old.hasPending()) {
          continue;
        }
        Meter live = old.lookupLive();
        if (live instanceof SwapMeter<?> swap) {
          live = swap.get();
        }
        if (live != null && live.getClass() == old.getClass() && live != old) {
          old.drainInto((StepMeter) live);
        }
      }
    }
  }

  /**
   * Same as {@code counter(createId(name, tags))}, with the handle of a real meter cached by the
   * name and tag strings as passed: asking again with equal strings returns that handle without
   * building, normalising or looking up an id. No-op handles are never cached, and the cache is
   * emptied whenever a poll removes meters.
   */
  @Override public Counter counter(String name, String... tags) {
    return lookup(counterLookups, counterById, name, tags);
  }

  /** Same as {@code timer(createId(name, tags))}, cached like {@link #counter(String, String...)}. */
  @Override public Timer timer(String name, String... tags) {
    return lookup(timerLookups, timerById, name, tags);
  }

  /**
   * Same as {@code distributionSummary(createId(name, tags))}, cached like
   * {@link #counter(String, String...)}.
   */
  @Override public DistributionSummary distributionSummary(String name, String... tags) {
    return lookup(summaryLookups, summaryById, name, tags);
  }

  private <M extends Meter> M lookup(LookupCache<M> cache, Function<Id, M> byId, String name, String[] tags) {
    if (name == null || tags == null || (tags.length & 1) != 0) {
      return byId.apply(createId(name, tags));
    }
    int hash = LookupCache.hash(name, tags);
    M m = cache.get(hash, name, tags);
    if (m == null) {
      // only a copy goes further, so that the caller's array, often the varargs array built for
      // this call, escapes nowhere and the JIT can leave its allocation out
      String[] copy = LookupCache.copyOf(tags);
      m = byId.apply(createId(name, copy));
      cacheIfReal(cache, hash, name, copy, m);
    }
    return m;
  }

  /**
   * Caches a handle only when it wraps one of this registry's meters: a no-op handle (type
   * conflict, {@code maxMeters} reached) stays a no-op, and a later lookup must get a real meter.
   */
  private static <T extends Meter> void cacheIfReal(LookupCache<T> cache, int hash, String name, String[] tags, T handle) {
    if (!(handle instanceof SwapMeter<?> swap) || !(swap.get() instanceof StepMeter)) {
      return;
    }
    for (String t : tags) {
      if (t == null) {
        return;
      }
    }
    cache.put(hash, name, tags, handle);
  }

  private void clearLookupCaches() {
    counterLookups = new LookupCache<>(maxMeters);
    timerLookups = new LookupCache<>(maxMeters);
    summaryLookups = new LookupCache<>(maxMeters);
  }

  /** Number of cached counter, timer and distribution summary handles; for tests. */
  int cachedLookups() {
    return counterLookups.size() + timerLookups.size() + summaryLookups.size();
  }

  @Override protected Counter newCounter(Id id) {
    return admit(new StepCounter(id, this));
  }

  @Override protected DistributionSummary newDistributionSummary(Id id) {
    return admit(new StepDistributionSummary(id, this));
  }

  @Override protected Timer newTimer(Id id) {
    return admit(new StepTimer(id, this));
  }

  @Override protected Gauge newGauge(Id id) {
    return admit(new StepGauge(id, this));
  }

  @Override protected Gauge newMaxGauge(Id id) {
    return admit(new StepMaxGauge(id, this));
  }

  private <M extends StepMeter> M admit(M meter) {
    if (meterCount.incrementAndGet() > maxMeters) {
      meterCount.decrementAndGet();
      // AbstractRegistry stores nothing when the factory throws, and hands out a no-op meter
      throw LIMIT_REACHED;
    }
    return meter;
  }

  private static void pin(Meter meter) {
    Meter m = meter instanceof SwapMeter<?> swap ? swap.get() : meter;
    if (m instanceof StepMeter stepMeter) {
      stepMeter.pinned = true;
    }
  }

  /**
   * Logs a problem inside the instrumentation once, never throws. Overrides Spectator's default,
   * which logs every occurrence (a type conflict in a hot loop would flood the log).
   */
  @Override public void propagate(String msg, Throwable t) {
    if (t == LIMIT_REACHED) {
      droppedMeters.increment();
      if (limitLogged.compareAndSet(false, true)) {
        logger.warn("the registry holds {} meters, the most allowed (spectator.max-meters); new ids get "
            + "no-op meters, counted in {}", maxMeters, DROPPED_METERS);
      }
      return;
    }
    String key = String.valueOf(msg);
    if (loggedWarnings.size() < MAX_LOGGED_WARNINGS && loggedWarnings.add(key)) {
      logger.warn("{} (logged once)", key);
    }
  }

  /** Replaces characters Atlas does not accept with {@code _}; returns the same id when all are valid. */
  @Override protected Id normalizeTags(Id id) {
    int size = id.size();
    boolean valid = VALID_CHARACTERS.containsAll(id.name());
    for (int i = 1; valid && i < size; i++) {
      valid = VALID_CHARACTERS.containsAll(id.getKey(i)) && VALID_CHARACTERS.containsAll(id.getValue(i));
    }
    if (valid) {
      return id;
    }
    String[] tags = new String[2 * (size - 1)];
    for (int i = 1; i < size; i++) {
      tags[2 * i - 2] = fix(id.getKey(i));
      tags[2 * i - 1] = fix(id.getValue(i));
    }
    // unsafeCreate sorts and de-duplicates: a fixed key may now collide with another
    return Id.unsafeCreate(fix(id.name()), tags, tags.length);
  }

  private static String fix(String s) {
    return VALID_CHARACTERS.replaceNonMembers(s, '_');
  }

  private static Map<String, String> normalize(Map<String, String> tags) {
    Map<String, String> out = new TreeMap<>();
    tags.forEach((k, v) -> out.put(fix(k), fix(v)));
    return Collections.unmodifiableMap(out);
  }

  private static RegistryConfig spectatorConfig(StepRegistryConfig config) {
    String pollingFrequency = config.step().compareTo(java.time.Duration.ofSeconds(10)) < 0
        ? config.step().toString()
        : "PT10S";
    // the cap is enforced by admit(), so AbstractRegistry gets no limit of its own
    return k -> "gaugePollingFrequency".equals(k) ? pollingFrequency : null;
  }

  /**
   * Hands every snapshot a poll returns to {@code listener} as well, on the polling thread, before
   * the poll returns: a reader of the steps gets the very snapshots the publisher sends, without
   * polling twice. A listener must be quick; one that throws is logged once and the poll goes on.
   */
  public void addStepListener(Consumer<StepSnapshot> listener) {
    stepListeners.add(listener);
  }

  private void notifyStepListeners(StepSnapshot snapshot) {
    for (Consumer<StepSnapshot> listener : stepListeners) {
      try {
        listener.accept(snapshot);
      } catch (RuntimeException e) {
        propagate("a step listener failed: " + e, e);
      }
    }
  }
}
