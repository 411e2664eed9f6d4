package io.github.spectatorboot.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.DefaultRegistry;
import com.netflix.spectator.api.Id;
import com.netflix.spectator.api.Registry;
import com.netflix.spectator.ipc.IpcLogger;
import com.netflix.spectator.ipc.IpcMetric;
import io.github.spectatorboot.registry.StepRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

/** The handler on its own: the starter's registry, failures inside the instrumentation, URI templates. */
class IpcObservationHandlerTest {

  private static void serve(ObservationRegistry observations, String path, String pattern, HttpStatus status) {
    MockServerHttpResponse response = new MockServerHttpResponse();
    response.setStatusCode(status);
    var context = new ServerRequestObservationContext(MockServerHttpRequest.get(path).header("Netflix-ASG", "shop-main-v001").build(),
        response, new HashMap<>());
    Observation observation = Observation.start("http.server.requests", () -> context, observations);
    context.setPathPattern(pattern);
    observation.stop();
  }

  @Test
  void theStartersStepRegistryHoldsMetersThatPassTheSpecsStrictCheck() {
    StepRegistry registry = new StepRegistry();
    ObservationRegistry observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(
        new WebFluxServerIpcObservationHandler(registry, new IpcLogger(registry)));

    serve(observations, "/orders/1", "/orders/{id}", HttpStatus.OK);
    serve(observations, "/orders/2", "/orders/{id}", HttpStatus.SERVICE_UNAVAILABLE);
    serve(observations, "/nowhere", null, HttpStatus.NOT_FOUND);

    IpcMetric.validate(registry, true);
    assertThat(registry.stream().filter(m -> m.id().name().equals("ipc.server.call"))
        .map(m -> m.id().tags()).map(IpcMeters::tags))
        // the registry keeps only the characters Atlas accepts: /orders/{id} is _orders__id_
        .anySatisfy(tags -> assertThat(tags).containsEntry("ipc.endpoint", "_orders__id_")
            .containsEntry("ipc.status", "throttled").containsEntry("http.status", "503")
            .containsEntry("ipc.client.app", "shop").containsEntry("ipc.client.cluster", "shop-main"))
        .anySatisfy(tags -> assertThat(tags).containsEntry("ipc.endpoint", "unknown").containsEntry("ipc.status", "success"));
  }

  @Test
  void aFailureInsideTheInstrumentationIsCountedAndNeverReachesTheExchange() {
    DefaultRegistry delegate = new DefaultRegistry();
    // a registry that fails when asked for a distribution summary, as the in-flight metric does
    Registry failing = (Registry) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Registry.class},
        (proxy, method, args) -> {
          if (method.getName().equals("distributionSummary") && args != null && args[0] instanceof Id) {
            throw new IllegalStateException("broken registry");
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    ObservationRegistry observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(
        new WebFluxServerIpcObservationHandler(failing, new IpcLogger(failing)));

    serve(observations, "/orders/1", "/orders/{id}", HttpStatus.OK);
    serve(observations, "/orders/2", "/orders/{id}", HttpStatus.OK);

    assertThat(delegate.counter("spectator.ipc.failures", "owner", WebFluxServerIpcObservationHandler.OWNER).count())
        .isEqualTo(2);
  }

  @Test
  void aClientEndpointIsThePathOfItsUriTemplate() {
    assertThat(IpcObservationHandler.templatePath("https://api.example.com/orders/{id}?expand={expand}"))
        .isEqualTo("/orders/{id}");
    assertThat(IpcObservationHandler.templatePath("/orders/{id}")).isEqualTo("/orders/{id}");
    assertThat(IpcObservationHandler.templatePath("http://{host}:8080")).isEqualTo("/");
    assertThat(IpcObservationHandler.templatePath("/search?q={q}")).isEqualTo("/search");
  }
}
