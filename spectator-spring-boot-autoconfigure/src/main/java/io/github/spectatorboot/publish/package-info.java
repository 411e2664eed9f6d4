/**
 * Ships each step of the {@link io.github.spectatorboot.registry.StepRegistry} to Atlas: the
 * schedule that polls just after every step boundary, the two wire formats (the Atlas publish API
 * and the spectator-py aggregator protocol), batching, the WebClient sender with its retries,
 * response parsing, the publisher's own meters, and the flush on shutdown.
 *
 * <p>Public types are what the auto-configuration and the actuator endpoint use:
 * {@link io.github.spectatorboot.publish.AtlasPublisher}, its
 * {@link io.github.spectatorboot.publish.PublisherConfig} and
 * {@link io.github.spectatorboot.publish.PublisherStatus}, and
 * {@link io.github.spectatorboot.publish.StepPoller} for when publishing is disabled.
 */
package io.github.spectatorboot.publish;
