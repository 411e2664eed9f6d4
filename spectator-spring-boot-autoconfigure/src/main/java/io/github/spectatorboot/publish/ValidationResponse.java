package io.github.spectatorboot.publish;

import java.util.List;

/**
 * Body of an Atlas 202 or 400 answer: {@code {"type":"partial"|"error","errorCount":N,"message":[...]}},
 * where the messages are up to five samples such as {@code "reason (tags={...})"}.
 */
record ValidationResponse(String type, Integer errorCount, List<String> message) {

  /** Whether this is Atlas's validation answer rather than some other JSON. */
  boolean isValidation() {
    return "partial".equals(type) || "error".equals(type);
  }

  /** The count of rejected measurements, 0 when absent. */
  int rejected() {
    return errorCount == null ? 0 : errorCount;
  }

  List<String> messages() {
    return message == null ? List.of() : message;
  }
}
