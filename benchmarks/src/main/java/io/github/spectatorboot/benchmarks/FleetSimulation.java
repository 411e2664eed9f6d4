package io.github.spectatorboot.benchmarks;

import com.netflix.spectator.api.Clock;
import com.netflix.spectator.api.Counter;
import io.github.spectatorboot.publish.AtlasPublisher;
import io.github.spectatorboot.publish.PublisherConfig;
import io.github.spectatorboot.registry.StepRegistry;
import io.github.spectatorboot.registry.StepRegistryConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * A fleet in one JVM: N instances, each a {@link StepRegistry} with its own {@code nf.node} and
 * 100 counters and an {@link AtlasPublisher} sending the publish API format over real HTTP to a
 * receiver on 127.0.0.1, started at random moments over one step, then run for three steps and
 * closed (each sends its final steps). The receiver reports the requests per second over those
 * three steps (peak and mean of one-second bins), the bytes per instance per step, and the sum of
 * every counter value received against the sum recorded.
 *
 * <p>The instances share one two-thread Reactor Netty event loop, one pool of 64 connections and
 * one two-thread scheduler for their step ticks, and their WebClients share one set of codecs: a
 * thousand of each on a two-core machine would
 * measure the machine rather than the spread of the sends. Each instance still has its own
 * registry, schedule, send offset, encoder and HTTP requests. Counters are incremented by whole numbers, so each received rate times the step
 * gives back its delta exactly once rounded.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.github.spectatorboot.benchmarks.FleetSimulation
 * [instances=1000] [step=10s] [meters=100] [send-offset=<duration>]}; {@code send-offset=0s} pins
 * every instance to send right after the boundary, as before the offsets were spread.
 */
public final class FleetSimulation {

  static final String COUNTER = "fleet.requests";
  static final int STEPS = 3;

  private final int instances;
  private final Duration step;
  private final int meters;
  private final Duration sendOffset;

  private final JsonMapper json = JsonMapper.builder().build();
  private final SmileMapper smile = SmileMapper.builder().build();
  private final ConcurrentLinkedQueue<long[]> arrivals = new ConcurrentLinkedQueue<>();
  private final AtomicLong receivedSum = new AtomicLong();
  private final AtomicLong doubled = new AtomicLong();
  private final AtomicLong badRequests = new AtomicLong();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  FleetSimulation(int instances, Duration step, int meters, Duration sendOffset) {
    this.instances = instances;
    this.step = step;
    this.meters = meters;
    this.sendOffset = sendOffset;
  }

  public static void main(String[] args) throws Throwable {
    int instances = 1000;
    Duration step = Duration.ofSeconds(10);
    int meters = 100;
    Duration sendOffset = null;
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "instances" -> instances = Integer.parseInt(kv[1]);
        case "step" -> step = Duration.parse("PT" + kv[1].toUpperCase());
        case "meters" -> meters = Integer.parseInt(kv[1]);
        case "send-offset" -> sendOffset = Duration.parse("PT" + kv[1].toUpperCase());
        default -> throw new IllegalArgumentException("unknown argument " + a
            + "; use instances=N step=10s meters=N send-offset=0s");
      }
    }
    new FleetSimulation(instances, step, meters, sendOffset).run(System.out);
  }

  void run(PrintStream out) throws Throwable {
    long stepMillis = step.toMillis();
    DisposableServer receiver = HttpServer.create()
        .host("127.0.0.1")
        .port(0)
        .route(r -> r.post("/api/v1/publish", (req, res) -> req.receive().aggregate().asByteArray()
            .flatMap(body -> {
              receive(body);
              return res.status(200).sendString(Mono.just("")).then();
            })))
        .bindNow();
    URI uri = URI.create("http://127.0.0.1:" + receiver.port() + "/api/v1/publish");
    Scheduler ticks = Schedulers.newParallel("fleet-ticks", 2, true);
    // one event loop and one pool for the whole fleet: a thousand of each would measure this
    // machine's two cores rather than the spread of the sends
    LoopResources loops = LoopResources.create("fleet-client", 2, true);
    ConnectionProvider connections = ConnectionProvider.builder("fleet").maxConnections(64)
        .pendingAcquireMaxCount(-1).build();
    // one set of codecs for all: each client would otherwise build its own JSON mappers
    WebClient.Builder builder = WebClient.builder().exchangeStrategies(ExchangeStrategies.withDefaults());
    MethodHandle create = publisherConstructor();
    List<Instance> fleet = new ArrayList<>(instances);
    AtomicLong recorded = new AtomicLong();

    out.printf("fleet of %,d instances, %d counters each, step %s, send offset %s; receiver %s%n",
        instances, meters, step, sendOffset == null ? "each instance's own" : sendOffset, uri);
    long t0 = System.currentTimeMillis();
    // starts at random moments over one step, in start order
    long[] startAt = new long[instances];
    for (int i = 0; i < instances; i++) {
      startAt[i] = t0 + ThreadLocalRandom.current().nextLong(stepMillis);
    }
    java.util.Arrays.sort(startAt);
    long lastStart = startAt[instances - 1];
    long windowStart = lastStart - Math.floorMod(lastStart, stepMillis) + stepMillis;
    long windowEnd = windowStart + STEPS * stepMillis;

    int next = 0;
    while (System.currentTimeMillis() < windowEnd) {
      long now = System.currentTimeMillis();
      while (next < instances && startAt[next] <= now) {
        fleet.add(new Instance(next, uri, ticks, create, builder, connections, loops));
        next++;
      }
      // every live instance records a little every 20 ms: whole numbers, summed as recorded
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (Instance instance : fleet) {
        int amount = 1 + random.nextInt(3);
        instance.counters[random.nextInt(meters)].increment(amount);
        recorded.addAndGet(amount);
      }
      Thread.sleep(20);
    }
    long closeStart = System.currentTimeMillis();
    ExecutorService closer = Executors.newFixedThreadPool(8);
    for (Instance instance : fleet) {
      closer.execute(instance.publisher::close);
    }
    closer.shutdown();
    closer.awaitTermination(5, TimeUnit.MINUTES);
    long closeMillis = System.currentTimeMillis() - closeStart;
    receiver.disposeNow();
    ticks.dispose();
    connections.dispose();
    loops.dispose();

    long dropped = 0;
    long skipped = 0;
    for (Instance instance : fleet) {
      dropped += instance.publisher.status().dropped();
      skipped += instance.publisher.status().skippedSteps();
    }
    report(out, stepMillis, windowStart, windowEnd, recorded.get(), closeMillis);
    out.printf("the publishers counted %,d measurements dropped and %,d steps skipped%n", dropped, skipped);
  }

  private void report(PrintStream out, long stepMillis, long windowStart, long windowEnd, long recorded, long closeMillis) {
    int seconds = (int) ((windowEnd - windowStart) / 1000);
    long[] perSecond = new long[seconds];
    long[] byOffset = new long[(int) (stepMillis / 1000)];
    long bytes = 0;
    long requests = 0;
    for (long[] a : arrivals) {
      long t = a[0];
      if (t >= windowStart && t < windowEnd) {
        perSecond[(int) ((t - windowStart) / 1000)]++;
        byOffset[(int) (Math.floorMod(t, stepMillis) / 1000)]++;
        bytes += a[1];
        requests++;
      }
    }
    long peak = 0;
    for (long n : perSecond) {
      peak = Math.max(peak, n);
    }
    double mean = (double) requests / seconds;
    out.printf("%nover %d steps after the last start (%d s): %,d requests, %,d bytes%n", STEPS, seconds, requests, bytes);
    out.printf("requests per second: peak %d, mean %.1f, peak / mean %.2f%n", peak, mean, peak / mean);
    StringBuilder histogram = new StringBuilder();
    for (int s = 0; s < byOffset.length; s++) {
      histogram.append(String.format("  %2d-%2d s: %,d%n", s, s + 1, byOffset[s]));
    }
    out.printf("requests by second within the step, over the %d steps:%n%s", STEPS, histogram);
    out.printf("bytes per instance per step: %.0f (%.1f per measurement)%n",
        (double) bytes / instances / STEPS, (double) bytes / instances / STEPS / meters);
    out.printf("final flush of all %,d instances (8 at a time): %d ms%n", instances, closeMillis);
    out.printf("counter sum recorded %,d, received %,d: %s; datapoints received twice: %d; unreadable requests: %d%n",
        recorded, receivedSum.get(), recorded == receivedSum.get() ? "equal" : "DIFFERENT",
        doubled.get(), badRequests.get());
  }

  /** Reads one request: its time, its size, and every counter datapoint, each (node, id, step) once. */
  private void receive(byte[] body) {
    arrivals.add(new long[] {System.currentTimeMillis(), body.length});
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      byte[] text = in.readAllBytes();
      // Smile (the default) starts with ":)\n"
      boolean isSmile = text.length > 3 && text[0] == ':' && text[1] == ')' && text[2] == '\n';
      JsonNode payload = isSmile ? smile.readTree(text) : json.readTree(text);
      String node = payload.get("tags").get("nf.node").asString();
      double stepSeconds = step.toMillis() / 1000.0;
      for (JsonNode metric : payload.get("metrics")) {
        JsonNode tags = metric.get("tags");
        if (!COUNTER.equals(tags.get("name").asString())) {
          continue;
        }
        long delta = Math.round(metric.get("value").asDouble() * stepSeconds);
        String key = node + '|' + tags.get("id").asString() + '|' + metric.get("timestamp").asLong();
        if (!seen.add(key)) {
          doubled.incrementAndGet();
        }
        receivedSum.addAndGet(delta);
      }
    } catch (IOException | RuntimeException e) {
      badRequests.incrementAndGet();
    }
  }

  /**
   * The publisher's package-private constructor that also takes the tick scheduler, the retry
   * backoff, the timer, and a connection pool and event loop shared by every instance.
   */
  private static MethodHandle publisherConstructor() throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(AtlasPublisher.class, MethodHandles.lookup());
    return lookup.findConstructor(AtlasPublisher.class, MethodType.methodType(void.class, StepRegistry.class,
        PublisherConfig.class, WebClient.Builder.class, Scheduler.class, Duration.class, Scheduler.class,
        ConnectionProvider.class, LoopResources.class));
  }

  /** One simulated instance: its registry, its counters, its publisher. */
  private final class Instance {
    final Counter[] counters = new Counter[meters];
    final AtlasPublisher publisher;

    Instance(int index, URI uri, Scheduler ticks, MethodHandle create, WebClient.Builder builder,
        ConnectionProvider connections, LoopResources loops) {
      StepRegistry registry = new StepRegistry(Clock.SYSTEM, new StepRegistryConfig(step, Duration.ofMinutes(15),
          10_000, Map.of("nf.app", "fleet", "nf.node", String.format("i-%08x", index))));
      for (int m = 0; m < meters; m++) {
        counters[m] = registry.counter(COUNTER, "id", Integer.toString(m));
      }
      PublisherConfig config = new PublisherConfig(uri, PublisherConfig.Format.PUBLISH, step, 10_000,
          Duration.ofSeconds(1), Duration.ofSeconds(10), 1, Duration.ofSeconds(30), sendOffset);
      try {
        publisher = (AtlasPublisher) create.invoke(registry, config, builder, ticks,
            Duration.ofSeconds(1), Schedulers.parallel(), connections, loops);
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
      publisher.start();
    }
  }
}
