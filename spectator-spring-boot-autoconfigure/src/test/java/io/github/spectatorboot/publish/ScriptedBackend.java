package io.github.spectatorboot.publish;

import io.github.spectatorboot.publish.Payloads.AggregatorEntry;
import io.github.spectatorboot.publish.Payloads.Datapoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An Atlas stand-in on 127.0.0.1: answers scripted responses in order, then 200 {@code {}}; can
 * hold requests until released, and records every request it read.
 */
final class ScriptedBackend extends Dispatcher implements AutoCloseable {

  final MockWebServer server = new MockWebServer();
  final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  private final Deque<MockResponse> script = new ConcurrentLinkedDeque<>();
  private final List<CountDownLatch> gates = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch gate;
  private final Semaphore permits = new Semaphore(0);
  private final AtomicInteger waitingForPermit = new AtomicInteger();
  private volatile boolean oneAtATime;

  ScriptedBackend() {
    this(0);
  }

  ScriptedBackend(int port) {
    server.setDispatcher(this);
    try {
      server.start(InetAddress.getByName("127.0.0.1"), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A URI on 127.0.0.1 whose port was free a moment ago: connections to it are refused. */
  static URI refusingUri(String path) {
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return URI.create("http://127.0.0.1:" + free.getLocalPort() + path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI uri(String path) {
    return server.url(path).uri();
  }

  static MockResponse ok() {
    return new MockResponse.Builder().code(200).body("{}").build();
  }

  static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("").build();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  ScriptedBackend enqueue(MockResponse... responses) {
    script.addAll(List.of(responses));
    return this;
  }

  /** Holds every request from now on until {@link #release()}. */
  void hold() {
    CountDownLatch g = new CountDownLatch(1);
    gates.add(g);
    gate = g;
  }

  /** From now on each request waits for one {@link #admitOne()}. */
  void admitOneAtATime() {
    oneAtATime = true;
  }

  /** Stops {@link #admitOneAtATime()} and lets every waiting request through. */
  void admitAll() {
    oneAtATime = false;
    permits.release(1000);
  }

  /** Lets one waiting request through. */
  void admitOne() {
    permits.release();
  }

  /** Requests waiting for {@link #admitOne()}. */
  int waiting() {
    return waitingForPermit.get();
  }

  void release() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  @Override public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    received.add(request);
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      CountDownLatch g = gate;
      if (g != null) {
        g.await();
      }
      if (oneAtATime) {
        waitingForPermit.incrementAndGet();
        try {
          permits.acquire();
        } finally {
          waitingForPermit.decrementAndGet();
        }
      }
    } finally {
      inFlight.decrementAndGet();
    }
    MockResponse next = script.poll();
    return next != null ? next : ok();
  }

  /** Every datapoint of every request read, publish API format. */
  List<Datapoint> datapoints() {
    List<Datapoint> points = new ArrayList<>();
    for (RecordedRequest r : received) {
      points.addAll(datapoints(r));
    }
    return points;
  }

  static List<Datapoint> datapoints(RecordedRequest r) {
    return Payloads.decodePublish(Payloads.tree(r.getBody().toByteArray()));
  }

  static List<AggregatorEntry> entries(RecordedRequest r) {
    return Payloads.decodeAggregator(Payloads.tree(r.getBody().toByteArray()));
  }

  @Override public void close() {
    admitAll();
    gate = null;
    gates.forEach(CountDownLatch::countDown);
    server.close();
  }
}
