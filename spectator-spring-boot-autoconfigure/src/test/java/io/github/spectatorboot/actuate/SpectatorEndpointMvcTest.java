package io.github.spectatorboot.actuate;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** The endpoint served by a Spring MVC application. */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=servlet", "management.endpoints.web.exposure.include=health,spectator",
        "spectator.publish.enabled=false", "spectator.global-registry.enabled=false", "spectator.jvm.enabled=false",
        "spectator.micrometer.enabled=false",
        "spectator.common-tags.nf.app=shop"})
class SpectatorEndpointMvcTest extends SpectatorEndpointContract {}
