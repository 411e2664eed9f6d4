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

  /** The encoder of a resolved format. */
  static PayloadEncoder of(PublisherConfig.Format format) {
    return switch (format) {
      case PUBLISH -> new PublishApiEncoder();
      case AGGREGATOR -> new AggregatorEncoder();
      case AUTO -> throw new IllegalArgumentException("resolve AUTO against the URI first");
    };
  }
}
