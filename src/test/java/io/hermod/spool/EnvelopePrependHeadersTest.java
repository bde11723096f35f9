package io.hermod.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hermod.delivery.DeliveryJob;
import io.hermod.smtp.BodyType;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** prependHeaders survives the envelope's JSON, every with-copy, and the delivery job on the bus. */
class EnvelopePrependHeadersTest {

  private static final String SIG = "DKIM-Signature: v=1; a=rsa-sha256;\r\n\tb=abc\r\n";

  @Test
  void roundTripsAndIsAbsentWhenNull() {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    Envelope plain = new Envelope("id1", "a@x.test", List.of(Recipient.pending("b@y.test", null, java.util.Set.of())),
        null, null, BodyType.SEVEN_BIT, false, "127.0.0.1", "c.test", null, "mx", t, 10, t, false, false);
    assertNull(plain.prependHeaders());
    assertFalse(plain.toJson().containsKey("prependHeaders"));

    Envelope signed = plain.withPrependHeaders(SIG);
    JsonObject json = new JsonObject(signed.toJson().encode());
    assertEquals(SIG, json.getString("prependHeaders"));
    assertEquals(signed, Envelope.fromJson(json));
    assertEquals(SIG, signed.withSize(99).withHeld(true).withDelayWarned(true).withNextAttempt(t.plusSeconds(5))
        .mapRecipients(r -> r).prependHeaders());

    DeliveryJob job = new DeliveryJob("id1", "y.test", List.of(), "a@x.test", List.of(), "", false, "/f", 0, 10, SIG);
    assertEquals(job, DeliveryJob.fromJson(new JsonObject(job.toJson().encode())));
    DeliveryJob none = new DeliveryJob("id1", "y.test", List.of(), "a@x.test", List.of(), "", false, "/f", 0, 10);
    assertEquals(none, DeliveryJob.fromJson(none.toJson()));
  }
}
