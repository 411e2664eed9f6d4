package io.github.spectatorboot.publish;

/**
 * What became of the measurements of one request, each counted exactly once.
 *
 * @param sent accepted by the backend
 * @param droppedValidation rejected by the backend's validation (the {@code errorCount} of a 202 or 400)
 * @param droppedHttp answered with an HTTP error status, after retries where they apply
 * @param droppedOther never answered: refused or timed-out connection, read timeout, reset, cancelled
 * @param error what went wrong, with the server's sample messages, or {@code null}
 */
public record BatchOutcome(int sent, int droppedValidation, int droppedHttp, int droppedOther, String error) {

  static BatchOutcome sent(int n) {
    return new BatchOutcome(n, 0, 0, 0, null);
  }

  static BatchOutcome httpError(int n, String error) {
    return new BatchOutcome(0, 0, n, 0, error);
  }

  static BatchOutcome other(int n, String error) {
    return new BatchOutcome(0, 0, 0, n, error);
  }

  /** Measurements lost, whatever the reason. */
  public int dropped() {
    return droppedValidation + droppedHttp + droppedOther;
  }
}
