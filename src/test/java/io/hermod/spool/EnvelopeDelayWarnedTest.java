package io.hermod.spool;

import io.hermod.smtp.BodyType;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The delayWarned flag survives the spool's JSON and defaults to false in envelopes written before it. */
class EnvelopeDelayWarnedTest {

  private static Envelope sample() {
    Instant t = Instant.parse("2025-03-01T10:00:00Z");
    return new Envelope("Q1", "a@x.test", List.of(Recipient.pending("b@y.test", null, Set.of())), null, null,
        BodyType.SEVEN_BIT, false, "192.0.2.1", "c.test", null, "mx", t, 10, t, false, false);
  }

  @Test
  void roundTripsThroughJson() {
    Envelope warned = sample().withDelayWarned(true);
    assertTrue(warned.delayWarned());
    assertEquals(warned, Envelope.fromJson(warned.toJson()));
    assertTrue(warned.withNextAttempt(Instant.EPOCH).withHeld(true).withSize(5).delayWarned(), "kept by withers");
  }

  @Test
  void absentMeansNotWarned() {
    JsonObject json = sample().withDelayWarned(true).toJson();
    json.remove("delayWarned");
    assertFalse(Envelope.fromJson(json).delayWarned());
  }
}
