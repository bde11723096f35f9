package io.hermod.delivery;

import io.hermod.shaping.BounceClassifier;
import io.hermod.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery log's lines, built without a Formatter, read as they did with {@code String.format}: the same
 * fields in the same order, and a delay printed exactly as {@code %.2f} printed it.
 */
class DeliveryLogTest {

  private static final String LOGGER = "io.hermod.delivery.DeliveryLogTest";

  @Test
  void secondsArePrintedAsPercentTwoFWasForEveryMillisecond() {
    for (long millis = 0; millis <= 200_000; millis++) {
      StringBuilder ours = new StringBuilder();
      DeliveryLog.appendSeconds(ours, (millis + 5) / 10);
      assertEquals(String.format(Locale.ROOT, "%.2f", millis / 1000.0), ours.toString(), millis + " ms");
    }
  }

  @Test
  void secondsFromNanosecondsRoundHalfUpAsPercentTwoFDid() {
    long[] nanos = {0, 4_999_999, 5_000_000, 9_999_999, 10_000_000, 415_000_000, 425_000_001, 1_999_999_999,
        61_234_567_890L, 3_600_005_000_000L};
    for (long n : nanos) {
      StringBuilder ours = new StringBuilder();
      DeliveryLog.appendSeconds(ours, (n + 5_000_000) / 10_000_000);
      assertEquals(String.format(Locale.ROOT, "%.2f", n / 1e9), ours.toString(), n + " ns");
    }
  }

  @Test
  void anAttemptLineHasEveryFieldInPostfixOrder() {
    try (LogCapture capture = new LogCapture(LOGGER)) {
      DeliveryLog log = new DeliveryLog(Logger.getLogger(LOGGER), BounceClassifier.shipped());
      DeliveryJob job = new DeliveryJob("Q1", "example.test", List.of(), "s@x.test",
          List.of(new DeliveryJob.Rcpt("u@example.test", null)), null, false, "f", 0, 10, null, null, "blue");
      DeliveryJob.Host host = new DeliveryJob.Host("mx.example.test", "192.0.2.1", 25, null);
      log.attempt(job, host, System.nanoTime(), new DeliveryReport.Result("u@example.test",
          DeliveryReport.Outcome.DELIVERED, 250, "2.0.0", "ok", true));
      log.attempt(job, null, System.nanoTime(), new DeliveryReport.Result("u@example.test",
          DeliveryReport.Outcome.DEFERRED, 452, "4.2.2", "mailbox full", true));
      List<String> lines = capture.messages();
      assertTrue(Pattern.matches("Q1: to=<u@example.test>, relay=mx.example.test\\[192.0.2.1]:25, source=blue, "
          + "delay=\\d+\\.\\d\\d, dsn=2.0.0, status=sent \\(250 2.0.0 ok\\)", lines.get(0)), lines.get(0));
      assertTrue(Pattern.matches("Q1: to=<u@example.test>, relay=none, source=blue, delay=\\d+\\.\\d\\d, "
          + "dsn=4.2.2, class=\\w+, status=deferred \\(452 4.2.2 mailbox full\\)", lines.get(1)), lines.get(1));
    }
  }

  @Test
  void aDecidedLineHasTheQueueTime() {
    try (LogCapture capture = new LogCapture(LOGGER)) {
      DeliveryLog log = new DeliveryLog(Logger.getLogger(LOGGER), BounceClassifier.shipped());
      log.decided("Q2", "u@nowhere.test", Duration.ofMillis(61_235), "5.1.2", DeliveryReport.Outcome.FAILED,
          "550 5.1.2 no such domain");
      log.decided("Q3", "u@x.test", Duration.ofMillis(-5), "2.0.0", DeliveryReport.Outcome.DELIVERED,
          "250 2.0.0 ok");
      List<String> lines = capture.messages();
      assertTrue(Pattern.matches("Q2: to=<u@nowhere.test>, relay=none, delay=61.24, dsn=5.1.2, class=\\w+, "
          + "status=bounced \\(550 5.1.2 no such domain\\)", lines.get(0)), lines.get(0));
      assertEquals("Q3: to=<u@x.test>, relay=none, delay=0.00, dsn=2.0.0, status=sent (250 2.0.0 ok)",
          lines.get(1));
    }
  }
}
