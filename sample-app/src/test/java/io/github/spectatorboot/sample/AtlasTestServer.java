package io.github.spectatorboot.sample;

import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * A stand-in for Atlas on 127.0.0.1 that checks every datapoint against Atlas's publish rules and
 * answers like Atlas: 200 when all pass, 202 with {@code {"type":"partial",...}} when some fail.
 * It serves the publish API ({@code /api/v1/publish}) and the aggregator
 * ({@code /api/v4/update}).
 *
 * <p>The rules (Atlas {@code atlas-webapi} {@code publish.rules}, aggregator validation): a
 * {@code name} tag; characters {@code -._A-Za-z0-9~^}; keys of 2 to 60 characters; a {@code name}
 * of 2 to 255 and other values of 1 to 120; at most 20 user tags ({@code nf.*} and
 * {@code atlas.*} keys do not count); {@code nf.*} and {@code atlas.*} keys from Atlas's lists; for
 * the publish API a finite value and a timestamp aligned to the client's step and within Atlas's
 * max-age (one step of the Atlas server, 1 minute) of now; for the aggregator op 0 or 10.
 */
final class AtlasTestServer implements AutoCloseable {

  /** One accepted datapoint, common tags merged in. */
  record Datapoint(Map<String, String> tags, long timestamp, int op, double value) {}

  private static final Pattern VALID = Pattern.compile("[-._A-Za-z0-9~^]+");
  private static final List<String> NF_KEYS = List.of("nf.account", "nf.ami", "nf.app", "nf.asg", "nf.cluster",
      "nf.container", "nf.country", "nf.country.rollup", "nf.job", "nf.node", "nf.process", "nf.region",
      "nf.shard1", "nf.shard2", "nf.stack", "nf.subnet", "nf.task", "nf.vmtype", "nf.vpc", "nf.zone");
  private static final List<String> ATLAS_KEYS = List.of("atlas.aggr", "atlas.dstype", "atlas.offset", "atlas.legacy");

  /**
   * Atlas's {@code atlas.webapi.publish.max-age}: one step of the Atlas server, 1 minute by
   * default, whatever the client's step.
   */
  private static final long MAX_AGE_MILLIS = 60_000;

  private final JsonMapper json = JsonMapper.builder().build();
  private final SmileMapper smile = SmileMapper.builder().build();
  private final long stepMillis;
  private final LongSupplier clock;
  private final List<Datapoint> accepted = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final LoopResources loops;
  private final DisposableServer server;

  AtlasTestServer(long stepMillis) {
    this.stepMillis = stepMillis;
    this.clock = System::currentTimeMillis;
    // its own event loop, so that the application's shutdown of Reactor Netty's global resources
    // cannot stop the stand-in while the application flushes
    this.loops = LoopResources.create("atlas-test", 1, true);
    this.server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0)
        .route(routes -> routes
            .post("/api/v1/publish", (req, res) -> req.receive().aggregate().asByteArray()
                .map(body -> handle(req.uri(), req.requestHeaders(), body, false))
                .flatMap(answer -> res.status(answer.status).header("Content-Type", "application/json")
                    .sendString(Mono.just(answer.body)).then()))
            .post("/api/v4/update", (req, res) -> req.receive().aggregate().asByteArray()
                .map(body -> handle(req.uri(), req.requestHeaders(), body, true))
                .flatMap(answer -> res.status(answer.status).header("Content-Type", "application/json")
                    .sendString(Mono.just(answer.body)).then())))
        .bindNow();
  }

  /** Datapoints of the meter {@code name} whose tags include the {@code key, value} pairs {@code tags}. */
  static Predicate<Datapoint> named(String name, String... tags) {
    return d -> {
      if (!name.equals(d.tags().get("name"))) {
        return false;
      }
      for (int i = 0; i < tags.length; i += 2) {
        if (!tags[i + 1].equals(d.tags().get(tags[i]))) {
          return false;
        }
      }
      return true;
    };
  }

  int port() {
    return server.port();
  }

  String uri(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  List<Datapoint> accepted() {
    return List.copyOf(accepted);
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  List<String> paths() {
    return List.copyOf(paths);
  }

  @Override public void close() {
    server.disposeNow();
    loops.dispose();
  }

  private record Answer(int status, String body) {}

  private Answer handle(String path, HttpHeaders headers, byte[] raw, boolean aggregator) {
    paths.add(path);
    List<String> errors = new ArrayList<>();
    int points;
    try {
      // as Atlas, by the Content-Type: Smile (the starter's default) or JSON
      String type = String.valueOf(headers.get("Content-Type"));
      byte[] body = decode(headers.get("Content-Encoding"), raw);
      JsonNode root = type.startsWith("application/x-jackson-smile") ? smile.readTree(body) : json.readTree(body);
      points = aggregator ? aggregator(root, errors) : publish(root, errors);
    } catch (RuntimeException e) {
      violations.add("unreadable body: " + e);
      return new Answer(400, "{\"type\":\"error\",\"errorCount\":1,\"message\":[\"unreadable body\"]}");
    }
    violations.addAll(errors);
    if (errors.isEmpty()) {
      return new Answer(200, aggregator ? "{}" : "");
    }
    String messages = String.join("\",\"", errors.subList(0, Math.min(5, errors.size())).stream()
        .map(m -> m.replace("\"", "'")).toList());
    String type = errors.size() >= points ? "error" : "partial";
    return new Answer(errors.size() >= points ? 400 : 202,
        "{\"type\":\"" + type + "\",\"errorCount\":" + errors.size() + ",\"message\":[\"" + messages + "\"]}");
  }

  private static byte[] decode(String encoding, byte[] raw) {
    if (!"gzip".equalsIgnoreCase(encoding)) {
      throw new IllegalStateException("the body is not gzip-compressed (Content-Encoding " + encoding + ")");
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int publish(JsonNode root, List<String> errors) {
    Map<String, String> common = new TreeMap<>();
    root.path("tags").properties().forEach(e -> common.put(e.getKey(), e.getValue().asString()));
    int n = 0;
    long now = clock.getAsLong();
    for (JsonNode metric : root.path("metrics")) {
      n++;
      Map<String, String> tags = new TreeMap<>(common);
      metric.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString()));
      long timestamp = metric.path("timestamp").asLong();
      double value = metric.path("value").asDouble();
      int before = errors.size();
      checkTags(tags, errors);
      if (timestamp % stepMillis != 0) {
        errors.add("timestamp " + timestamp + " is not aligned to the step (tags=" + tags + ")");
      }
      if (Math.abs(now - timestamp) > MAX_AGE_MILLIS) {
        errors.add("timestamp " + timestamp + " is more than Atlas's max-age from now " + now + " (tags=" + tags + ")");
      }
      if (!Double.isFinite(value)) {
        errors.add("value " + value + " is not finite (tags=" + tags + ")");
      }
      if (errors.size() == before) {
        accepted.add(new Datapoint(tags, timestamp, -1, value));
      }
    }
    return n;
  }

  private int aggregator(JsonNode root, List<String> errors) {
    Iterator<JsonNode> it = root.iterator();
    int size = it.next().asInt();
    String[] strings = new String[size];
    for (int i = 0; i < size; i++) {
      strings[i] = it.next().asString();
    }
    int n = 0;
    while (it.hasNext()) {
      n++;
      int pairs = it.next().asInt();
      Map<String, String> tags = new TreeMap<>();
      for (int i = 0; i < pairs; i++) {
        tags.put(strings[it.next().asInt()], strings[it.next().asInt()]);
      }
      int op = it.next().asInt();
      double value = it.next().asDouble();
      int before = errors.size();
      checkTags(tags, errors);
      if (op != 0 && op != 10) {
        errors.add("unknown op " + op + " (tags=" + tags + ")");
      }
      if (errors.size() == before) {
        accepted.add(new Datapoint(tags, 0, op, value));
      }
    }
    return n;
  }

  private static void checkTags(Map<String, String> tags, List<String> errors) {
    if (!tags.containsKey("name")) {
      errors.add("missing name (tags=" + tags + ")");
    }
    int userTags = 0;
    for (Map.Entry<String, String> t : tags.entrySet()) {
      String k = t.getKey();
      String v = t.getValue();
      if (!VALID.matcher(k).matches() || !VALID.matcher(v).matches()) {
        errors.add("invalid characters in " + k + "=" + v);
      }
      if (k.length() < 2 || k.length() > 60) {
        errors.add("key length of " + k);
      }
      int max = k.equals("name") ? 255 : 120;
      int min = k.equals("name") ? 2 : 1;
      if (v.length() < min || v.length() > max) {
        errors.add("value length of " + k + "=" + v);
      }
      if (k.startsWith("nf.")) {
        if (!NF_KEYS.contains(k)) {
          errors.add("reserved key " + k);
        }
      } else if (k.startsWith("atlas.")) {
        if (!ATLAS_KEYS.contains(k)) {
          errors.add("reserved key " + k);
        }
      } else {
        userTags++;
      }
    }
    if (userTags > 20) {
      errors.add("too many user tags: " + userTags + " (tags=" + tags + ")");
    }
  }
}
