package io.github.spectatorboot.actuate;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A bare Boot application for the endpoint tests; the starter's auto-configuration does the rest. */
@SpringBootApplication
class EndpointTestApplication {}
