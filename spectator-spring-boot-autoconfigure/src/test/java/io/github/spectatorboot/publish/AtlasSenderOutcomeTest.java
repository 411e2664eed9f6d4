package io.github.spectatorboot.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.spectatorboot.publish.AtlasSender.Answer;
import org.junit.jupiter.api.Test;

/** How an answer's measurements are counted, as Spectator Java's {@code ValidationHelper} counts them. */
class AtlasSenderOutcomeTest {

  @Test
  void twoHundredMeansEveryMeasurementWasSent() {
    assertThat(AtlasSender.outcome(10, new Answer(200, "{}"))).isEqualTo(BatchOutcome.sent(10));
  }

  @Test
  void aPartialAnswerSplitsSentAndRejected() {
    BatchOutcome o = AtlasSender.outcome(10,
        new Answer(202, "{\"type\":\"partial\",\"errorCount\":3,\"message\":[\"a\",\"b\"]}"));

    assertThat(o.sent()).isEqualTo(7);
    assertThat(o.droppedValidation()).isEqualTo(3);
    assertThat(o.error()).contains("3 of 10").contains("[a, b]");
  }

  @Test
  void anErrorCountLargerThanTheBatchIsCappedAtTheBatch() {
    BatchOutcome o = AtlasSender.outcome(4, new Answer(202, "{\"type\":\"partial\",\"errorCount\":9}"));

    assertThat(o.sent()).isZero();
    assertThat(o.droppedValidation()).isEqualTo(4);
  }

  @Test
  void aPartialAnswerWhoseBodyCannotBeReadCountsAsSent() {
    assertThat(AtlasSender.outcome(5, new Answer(202, "<html>accepted</html>"))).isEqualTo(BatchOutcome.sent(5));
  }

  @Test
  void aFourHundredWithoutAValidationBodyIsAnHttpError() {
    BatchOutcome o = AtlasSender.outcome(5, new Answer(400, "bad request"));

    assertThat(o.droppedHttp()).isEqualTo(5);
    assertThat(o.error()).isEqualTo("HTTP 400");
  }

  @Test
  void aFourHundredWithoutACountRejectsTheWholeBatch() {
    assertThat(AtlasSender.outcome(5, new Answer(400, "{\"type\":\"error\",\"message\":[\"x\"]}")).droppedValidation())
        .isEqualTo(5);
  }

  @Test
  void otherStatusesAreHttpErrors() {
    assertThat(AtlasSender.outcome(5, new Answer(500, "")).droppedHttp()).isEqualTo(5);
    assertThat(AtlasSender.outcome(5, new Answer(404, "")).droppedHttp()).isEqualTo(5);
    assertThat(AtlasSender.outcome(5, new Answer(302, "")).droppedHttp()).isEqualTo(5);
  }
}
