/**
 * A Micrometer {@link io.micrometer.core.instrument.MeterRegistry} whose meters are meters of the
 * application's Spectator {@link com.netflix.spectator.api.Registry}: whatever Spring Boot and its
 * libraries record through Micrometer is polled and published with the rest, in the same step.
 * Depends on spectator-api and micrometer-core only.
 */
package io.github.spectatorboot.micrometer;
