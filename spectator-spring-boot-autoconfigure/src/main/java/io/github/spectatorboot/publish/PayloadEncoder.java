package io.github.spectatorboot.publish;

import io.github.spectatorboot.registry.StepSnapshot;
import java.util.List;

/** Turns one step's snapshot into self-contained, gzip-compressed request bodies. */
interface PayloadEncoder {

  /**
   * Encodes the measurements of {@code snapshot} that this format sends, at most
   * {@code batchSize} per body; an empty list when there is nothing to send.
   */
  List<EncodedBatch> encode(StepSnapshot snapshot, int batchSize);

  /** The encoder of a resolved format, every batch on the calling thread. */
  static PayloadEncoder of(PublisherConfig.Format format) {
    return of(format, BatchCompressor.SERIAL);
  }

  /** The encoder of a resolved format, whose batches are written and deflated by {@code compressor}. */
  static PayloadEncoder of(PublisherConfig.Format format, BatchCompressor compressor) {
    return switch (format) {
      case PUBLISH -> new PublishApiEncoder(compressor);
      case AGGREGATOR -> new AggregatorEncoder(compressor);
      case AUTO -> throw new IllegalArgumentException("resolve AUTO against the URI first");
    };
  }
}
