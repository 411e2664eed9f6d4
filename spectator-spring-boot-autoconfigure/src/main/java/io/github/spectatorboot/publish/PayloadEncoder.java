package io.github.spectatorboot.publish;

import io.github.spectatorboot.registry.StepSnapshot;
import java.util.List;
import org.springframework.http.MediaType;

/** Turns one step's snapshot into self-contained, gzip-compressed request bodies. */
interface PayloadEncoder {

  /**
   * Encodes the measurements of {@code snapshot} that this format sends, at most
   * {@code batchSize} per body; an empty list when there is nothing to send.
   */
  List<EncodedBatch> encode(StepSnapshot snapshot, int batchSize);

  /** The {@code Content-Type} of the bodies. */
  MediaType contentType();

  /** The encoder of a resolved format, every batch on the calling thread. */
  static PayloadEncoder of(PublisherConfig.Format format, PublisherConfig.Encoding encoding) {
    return of(format, encoding, BatchCompressor.SERIAL);
  }

  /** The encoder of a resolved format, whose batches are written and deflated by {@code compressor}. */
  static PayloadEncoder of(PublisherConfig.Format format, PublisherConfig.Encoding encoding, BatchCompressor compressor) {
    boolean smile = encoding == PublisherConfig.Encoding.SMILE;
    return switch (format) {
      case PUBLISH -> new PublishApiEncoder(smile, compressor);
      case AGGREGATOR -> new AggregatorEncoder(smile, compressor);
      case AUTO -> throw new IllegalArgumentException("resolve AUTO against the URI first");
    };
  }

  /** Smile's media type, which Atlas's publish API and aggregator both read. */
  MediaType SMILE = new MediaType("application", "x-jackson-smile");

  /** The media type of bodies in Smile or in JSON. */
  static MediaType contentType(boolean smile) {
    return smile ? SMILE : MediaType.APPLICATION_JSON;
  }
}
