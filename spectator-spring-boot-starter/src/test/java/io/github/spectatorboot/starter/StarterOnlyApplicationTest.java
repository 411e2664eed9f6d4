package io.github.spectatorboot.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.actuate.SpectatorEndpoint;
import io.github.spectatorboot.annotation.Timed;
import io.github.spectatorboot.publish.AtlasPublisher;
import io.github.spectatorboot.registry.StepRegistry;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/**
 * An application whose only dependencies are Boot's starter and this starter (the test scope adds
 * nothing to the main class path): it gets a registry, working {@code @Timed}, the endpoint, the
 * publisher and JVM metrics without any configuration.
 */
@SpringBootTest(properties = {"spectator.uri=http://127.0.0.1:1/api/v1/publish", "spectator.shutdown-timeout=1s",
    // without a web server the endpoint is served over JMX, which Boot leaves off by default
    "spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=spectator"})
class StarterOnlyApplicationTest {

  @SpringBootApplication
  static class App {
    @Bean
    Greeter greeter() {
      return new Greeter();
    }
  }

  static class Greeter {
    @Timed("greetings")
    public String greet(String name) {
      return "hello " + name;
    }
  }

  @Autowired Registry registry;
  @Autowired Greeter greeter;
  @Autowired SpectatorEndpoint endpoint;
  @Autowired AtlasPublisher publisher;

  @Test
  void theStarterAloneGivesARegistryTimedMethodsTheEndpointAndJvmMetrics() {
    assertThat(registry).isInstanceOf(StepRegistry.class);

    assertThat(greeter.greet("atlas")).isEqualTo("hello atlas");

    var meter = endpoint.meter("greetings", null);
    assertThat(meter).isNotNull();
    assertThat(meter.meters()).singleElement().satisfies(m -> {
      assertThat(m.type()).isEqualTo("timer");
      assertThat(m.tags()).containsEntry("class", "StarterOnlyApplicationTest.Greeter").containsEntry("method", "greet")
          .containsEntry("exception", "none");
      assertThat(m.inProgress()).containsEntry("count", 1.0);
    });
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(endpoint.describe().names()).contains("greetings", "jvm.memory.used", "jvm.gc.maxDataSize"));
    assertThat(publisher.status().state().name()).isEqualTo("RUNNING");
  }

  @Test
  void theEndpointIsServedOverJmxWhenThereIsNoWebServer() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("org.springframework.boot:type=Endpoint,name=Spectator,*");

    var found = server.queryNames(name, null);

    assertThat(found).hasSize(1);
    Object names = server.invoke(found.iterator().next(), "describe", new Object[0], new String[0]);
    assertThat(names.toString()).contains("spectator.registry.droppedMeters");
  }
}
