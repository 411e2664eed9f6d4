package io.github.spectatorboot.autoconfigure;

import com.netflix.spectator.api.Registry;
import com.netflix.spectator.ipc.IpcLogger;
import com.netflix.spectator.ipc.IpcLoggerConfig;
import io.github.spectatorboot.ipc.IpcObservationHandler;
import io.github.spectatorboot.ipc.MvcServerIpcObservationHandler;
import io.github.spectatorboot.ipc.RestClientIpcObservationHandler;
import io.github.spectatorboot.ipc.WebClientIpcObservationHandler;
import io.github.spectatorboot.ipc.WebFluxServerIpcObservationHandler;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.ObservationHandler;
import java.net.URI;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Netflix IPC metrics ({@code ipc.server.call}, {@code ipc.client.call} and their companions)
 * for every request a Spring MVC or WebFlux application serves and every request it sends with a
 * {@code RestTemplate}, {@code RestClient} or {@code WebClient} built from Boot's builders.
 *
 * <p>Each is an {@link ObservationHandler} on Boot's {@code ObservationRegistry}, which Boot
 * fills with every handler bean: the observations Spring already makes of these exchanges become
 * entries of spectator-ext-ipc's {@link IpcLogger} (see {@link IpcObservationHandler} for why
 * this beats filters of our own). With IPC metrics on, Micrometer's {@code http.server.requests}
 * and {@code http.client.requests} measure the same requests under other names; a
 * {@link MeterFilter} denies them in every Micrometer registry unless
 * {@code spectator.ipc.keep-micrometer-http-metrics} is true, and Micrometer's meter observation
 * handlers no longer see those requests at all ({@link MeterObservationHandlerWithoutHttp}).
 *
 * <p>The publisher's own requests to {@code spectator.uri} are never measured.
 */
@AutoConfiguration(after = SpectatorAutoConfiguration.class)
@ConditionalOnClass({IpcLogger.class, ObservationHandler.class})
@ConditionalOnBean(Registry.class)
@ConditionalOnBooleanProperty(name = "spectator.enabled", matchIfMissing = true)
public final class SpectatorIpcAutoConfiguration {

  private static final String SERVER_ENABLED = "spectator.ipc.server.enabled";
  private static final String CLIENT_ENABLED = "spectator.ipc.client.enabled";
  private static final String KEEP_MICROMETER = "spectator.ipc.keep-micrometer-http-metrics";

  /** Prefix of spectator-ext-ipc's own cardinality limit keys, which our properties mirror. */
  private static final String CARDINALITY_LIMIT = "spectator.ipc.cardinality-limit.";

  @Bean
  @ConditionalOnMissingBean
  IpcLogger spectatorIpcLogger(Registry registry, SpectatorProperties properties) {
    SpectatorProperties.Ipc ipc = properties.getIpc();
    IpcLoggerConfig config = key -> {
      if ("spectator.ipc.inflight-metrics-enabled".equals(key)) {
        return Boolean.toString(ipc.isInflightMetricsEnabled());
      }
      if (key.startsWith(CARDINALITY_LIMIT)) {
        Integer limit = ipc.getCardinalityLimit().get(key.substring(CARDINALITY_LIMIT.length()));
        return limit == null ? null : limit.toString();
      }
      return null;
    };
    return new IpcLogger(registry, LoggerFactory.getLogger(IpcLogger.class), config);
  }

  /** The publisher's target: requests there are the starter's own and are not measured. */
  static Predicate<URI> publisherTarget(URI target) {
    return uri -> uri != null && uri.getPort() == target.getPort()
        && Objects.equals(uri.getPath(), target.getPath()) && Objects.equals(uri.getHost(), target.getHost());
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = SERVER_ENABLED, matchIfMissing = true)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = {"jakarta.servlet.http.HttpServletRequest",
      "org.springframework.http.server.observation.ServerRequestObservationContext"})
  static class MvcServer {

    @Bean
    @ConditionalOnMissingBean
    MvcServerIpcObservationHandler spectatorMvcServerIpcObservationHandler(Registry registry, IpcLogger logger) {
      return new MvcServerIpcObservationHandler(registry, logger);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = SERVER_ENABLED, matchIfMissing = true)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  static class WebFluxServer {

    @Bean
    @ConditionalOnMissingBean
    WebFluxServerIpcObservationHandler spectatorWebFluxServerIpcObservationHandler(Registry registry,
        IpcLogger logger) {
      return new WebFluxServerIpcObservationHandler(registry, logger);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = CLIENT_ENABLED, matchIfMissing = true)
  static class RestClients {

    @Bean
    @ConditionalOnMissingBean
    RestClientIpcObservationHandler spectatorRestClientIpcObservationHandler(Registry registry, IpcLogger logger,
        SpectatorProperties properties) {
      return new RestClientIpcObservationHandler(registry, logger, properties.getCommonTags(),
          publisherTarget(properties.getUri()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = CLIENT_ENABLED, matchIfMissing = true)
  @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
  static class WebClients {

    @Bean
    @ConditionalOnMissingBean
    WebClientIpcObservationHandler spectatorWebClientIpcObservationHandler(Registry registry, IpcLogger logger,
        SpectatorProperties properties) {
      return new WebClientIpcObservationHandler(registry, logger, properties.getCommonTags(),
          publisherTarget(properties.getUri()));
    }
  }

  /** One concept, one name: the IPC metrics replace Micrometer's HTTP metrics of the same requests. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterFilter.class)
  @ConditionalOnBooleanProperty(name = KEEP_MICROMETER, havingValue = false, matchIfMissing = true)
  static class OneNamePerConcept {

    @Bean
    @ConditionalOnBooleanProperty(name = SERVER_ENABLED, matchIfMissing = true)
    MeterFilter spectatorIpcDeniesHttpServerRequests() {
      // http.server.requests and its long task timer http.server.requests.active
      return MeterFilter.denyNameStartsWith("http.server.requests");
    }

    @Bean
    @ConditionalOnBooleanProperty(name = CLIENT_ENABLED, matchIfMissing = true)
    MeterFilter spectatorIpcDeniesHttpClientRequests() {
      return MeterFilter.denyNameStartsWith("http.client.requests");
    }

    /**
     * Keeps Micrometer's meter handlers (Boot's {@code DefaultMeterObservationHandler}) away from
     * the HTTP observations the IPC metrics measure, so that they do not build, per request, the
     * ids of meters the filters above deny; the filters stay for meters made by other means.
     */
    @Bean
    static MeterHandlersWithoutHttp spectatorIpcTakesTheHttpObservations(Environment environment) {
      return new MeterHandlersWithoutHttp(environment.getProperty(SERVER_ENABLED, Boolean.class, true),
          environment.getProperty(CLIENT_ENABLED, Boolean.class, true));
    }
  }

  /**
   * Wraps each {@link MeterObservationHandler} bean in a {@link MeterObservationHandlerWithoutHttp}.
   * {@link Ordered}, so that Spring creates it with the ordered post-processors, before the AOP
   * auto-proxy creator is registered (see {@code MeterAnnotationValidator}).
   */
  static final class MeterHandlersWithoutHttp implements BeanPostProcessor, Ordered {

    private final boolean server;
    private final boolean client;

    MeterHandlersWithoutHttp(boolean server, boolean client) {
      this.server = server;
      this.client = client;
    }

    @Override public Object postProcessAfterInitialization(Object bean, String beanName) {
      if (bean instanceof MeterObservationHandler<?> handler && !(bean instanceof MeterObservationHandlerWithoutHttp)
          && (server || client)) {
        return new MeterObservationHandlerWithoutHttp(handler, server, client);
      }
      return bean;
    }

    @Override public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
