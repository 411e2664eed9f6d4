import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * CI: starts the sample application, already processed by {@code spring-boot:process-aot}, in AOT
 * mode ({@code -Dspring.aot.enabled=true}) on 127.0.0.1 with a port of its own choosing, and checks
 * that {@code /actuator/spectator} answers and that a publish with an annotated call reaches a
 * receiver on 127.0.0.1. Every wait is bounded; the application is stopped whatever happens.
 *
 * <p>Usage: {@code java .ci/AotSampleCheck.java CLASSPATH LOGFILE} (JDK only, run as a source file).
 */
public class AotSampleCheck {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern PORT = Pattern.compile("Netty started on port (\\d+)");

  private static final List<String> received = new CopyOnWriteArrayList<>();

  public static void main(String[] args) throws Exception {
    String classpath = args[0];
    Path log = Path.of(args[1]);
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/api/v1/publish", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
        received.add(new String((gzip ? new GZIPInputStream(body) : body).readAllBytes(), StandardCharsets.UTF_8));
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    String publishUri = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/publish";

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process app = new ProcessBuilder(java, "-Dspring.aot.enabled=true", "-cp", classpath,
        "io.github.spectatorboot.sample.SampleApplication",
        "--server.address=127.0.0.1", "--server.port=0", "--spectator.uri=" + publishUri, "--spectator.step=1s")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int status = 1;
    try {
      status = check(app, log);
    } finally {
      app.destroy(); // SIGTERM: Boot's graceful shutdown, with the last publish
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      receiver.stop(0);
    }
    if (status != 0) {
      List<String> lines = Files.readAllLines(log);
      System.out.println("-- last lines of " + log);
      lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(System.out::println);
    }
    System.exit(status);
  }

  private static int check(Process app, Path log) throws Exception {
    String port = await(START_TIMEOUT, () -> {
      if (!app.isAlive()) {
        throw new IllegalStateException("the application exited with " + app.exitValue());
      }
      Matcher m = PORT.matcher(read(log));
      return m.find() ? m.group(1) : null;
    });
    if (port == null) {
      return fail("the application did not report its port within " + START_TIMEOUT);
    }
    if (!read(log).contains("Starting AOT-processed SampleApplication")) {
      return fail("the application did not start from its AOT-generated initializer");
    }
    String base = "http://127.0.0.1:" + port;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> endpoint = get(client, base + "/actuator/spectator");
    if (endpoint.statusCode() != 200 || !endpoint.body().contains("\"names\"")
        || !endpoint.body().contains("\"publisher\"")) {
      return fail("/actuator/spectator answered " + endpoint.statusCode() + ": " + endpoint.body());
    }
    System.out.println("AOT sample: /actuator/spectator answered 200 with the registry's names");

    HttpResponse<String> order = client.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("two apples")).build(), HttpResponse.BodyHandlers.ofString());
    if (order.statusCode() != 200) {
      return fail("POST /orders answered " + order.statusCode() + ": " + order.body());
    }

    String publish = await(PUBLISH_TIMEOUT,
        () -> received.stream().filter(p -> p.contains("orders.placed")).findFirst().orElse(null));
    if (publish == null) {
      return fail("no publish with orders.placed reached the receiver within " + PUBLISH_TIMEOUT + " ("
          + received.size() + " publishes received)");
    }
    System.out.println("AOT sample: a publish with the @Timed call's orders.placed reached the receiver ("
        + received.size() + " publishes received)");

    HttpResponse<String> meter = get(client, base + "/actuator/spectator/orders.placed");
    if (meter.statusCode() != 200 || !meter.body().contains("\"timer\"")) {
      return fail("/actuator/spectator/orders.placed answered " + meter.statusCode() + ": " + meter.body());
    }
    System.out.println("AOT sample: /actuator/spectator/orders.placed shows the timer");
    return 0;
  }

  private static HttpResponse<String> get(HttpClient client, String uri) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Polls {@code condition} every 100 ms until it gives a value or {@code timeout} passes. */
  private static <T> T await(Duration timeout, Supplier<T> condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T value = condition.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(100);
    }
    return null;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  private static int fail(String message) {
    System.out.println("AOT sample check FAILED: " + message);
    return 1;
  }
}
