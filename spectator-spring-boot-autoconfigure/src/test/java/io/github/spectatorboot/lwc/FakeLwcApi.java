package io.github.spectatorboot.lwc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays atlas-lwcapi on 127.0.0.1: serves {@code GET /lwc/api/v1/expressions/{cluster}} with an
 * ETag (the quoted CRC32 of the body, as lwcapi) and 304 for a matching {@code If-None-Match}, and
 * keeps every {@code POST /lwc/api/v1/evaluate/{client}} body, gunzipped, per client. It can go
 * away (the port then refuses connections) and come back on the same port, and answer the next
 * posts with scripted statuses (a body is kept only when answered 200).
 */
final class FakeLwcApi implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private volatile DisposableServer server;
  /** Set while away: a keep-alive connection the client still holds is closed at its next request. */
  private volatile boolean away;
  private final int port;
  private volatile byte[] expressions = "{\"expressions\":[]}".getBytes(StandardCharsets.UTF_8);
  private volatile String etag = etag(expressions);
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger notModified = new AtomicInteger();
  final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
  final Map<String, List<JsonNode>> posts = new ConcurrentHashMap<>();
  final List<String> contentEncodings = new CopyOnWriteArrayList<>();
  /** Statuses for the next posts, in order; 200 once empty. */
  final Queue<Integer> evalStatuses = new ConcurrentLinkedQueue<>();
  final AtomicInteger postAttempts = new AtomicInteger();

  FakeLwcApi() {
    this.server = bind(0);
    this.port = server.port();
  }

  private DisposableServer bind(int p) {
    return HttpServer.create().host("127.0.0.1").port(p)
        .route(routes -> routes
            .get("/lwc/api/v1/expressions/{cluster}", (req, res) -> {
              if (away) {
                return hangUp(res);
              }
              gets.incrementAndGet();
              String match = req.requestHeaders().get("If-None-Match");
              ifNoneMatch.add(String.valueOf(match));
              String tag = etag;
              if (match != null && match.contains(tag)) {
                notModified.incrementAndGet();
                return res.status(304).header("ETag", tag).send();
              }
              return res.header("ETag", tag).header("Content-Type", "application/json")
                  .sendByteArray(Mono.just(expressions));
            })
            .post("/lwc/api/v1/evaluate/{client}", (req, res) -> {
              if (away) {
                return hangUp(res);
              }
              String client = req.param("client");
              String encoding = req.requestHeaders().get("Content-Encoding");
              postAttempts.incrementAndGet();
              Integer scripted = evalStatuses.poll();
              return req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                  .flatMap(body -> {
                    if (scripted != null && scripted != 200) {
                      return res.status(scripted).send().then();
                    }
                    contentEncodings.add(client + ":" + encoding);
                    posts.computeIfAbsent(client, k -> new CopyOnWriteArrayList<>())
                        .add(JSON.readTree("gzip".equals(encoding) ? gunzip(body) : body));
                    return res.status(200).send().then();
                  });
            }))
        .bindNow();
  }

  private static Mono<Void> hangUp(reactor.netty.http.server.HttpServerResponse res) {
    return Mono.fromRunnable(() -> res.withConnection(reactor.netty.Connection::dispose));
  }

  /** Serves {@code {"expressions":[...]}} with the given entries from now on. */
  void serve(String... entriesJson) {
    byte[] body = ("{\"expressions\":[" + String.join(",", entriesJson) + "],\"other\":1}").getBytes(StandardCharsets.UTF_8);
    expressions = body;
    etag = etag(body);
  }

  static String expression(String id, String expression, long frequency) {
    return "{\"expression\":\"" + expression + "\",\"exprType\":\"TIME_SERIES\",\"frequency\":" + frequency
        + ",\"id\":\"" + id + "\",\"unknownField\":true}";
  }

  String etag() {
    return etag;
  }

  URI configUri() {
    return URI.create("http://127.0.0.1:" + port + "/lwc/api/v1/expressions/app1-main");
  }

  URI evalUri(String client) {
    return URI.create("http://127.0.0.1:" + port + "/lwc/api/v1/evaluate/" + client);
  }

  List<JsonNode> posts(String client) {
    return posts.getOrDefault(client, List.of());
  }

  void goAway() {
    away = true;
    server.disposeNow();
  }

  void comeBack() {
    server = bind(port);
    away = false;
  }

  @Override public void close() {
    server.disposeNow();
  }

  private static String etag(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    return "\"" + String.format("%016x", crc.getValue()) + "\"";
  }

  private static byte[] gunzip(byte[] body) {
    try (var in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
