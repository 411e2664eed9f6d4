package io.github.spectatorboot.publish;

/**
 * One request body, ready to POST.
 *
 * @param body the JSON payload, gzip-compressed
 * @param size the number of measurements in it
 */
record EncodedBatch(byte[] body, int size) {}
