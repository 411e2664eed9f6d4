package io.github.spectatorboot.publish;

/**
 * One request body, ready to POST with an {@link AtlasSender}.
 *
 * @param body the payload (Smile or JSON), gzip-compressed when the sender says so
 * @param size the number of measurements in it
 */
public record EncodedBatch(byte[] body, int size) {}
