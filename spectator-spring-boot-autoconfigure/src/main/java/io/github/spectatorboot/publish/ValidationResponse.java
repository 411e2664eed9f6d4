package io.github.spectatorboot.publish;

import java.util.List;

/**
 * Body of an Atlas 202 or 400 answer: {@code {"type":"partial"|"error","errorCount":N,"message":[...]}},
 * where the messages are up to five samples such as {@code "reason (tags={...})"}.
 */
record ValidationResponse(String type, int errorCount, List<String> message) {

  List<String> messages() {
    return message == null ? List.of() : message;
  }
}
