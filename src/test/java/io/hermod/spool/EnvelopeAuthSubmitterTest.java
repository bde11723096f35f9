package io.hermod.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hermod.smtp.BodyType;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** authSubmitter (RFC 4954 §5) survives the envelope's JSON and every with-copy; absent when null (older files). */
class EnvelopeAuthSubmitterTest {

  @Test
  void roundTripsAndIsAbsentWhenNull() {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    Envelope plain = new Envelope("id1", "a@x.test", List.of(Recipient.pending("b@y.test", null, Set.of())),
        null, null, BodyType.SEVEN_BIT, false, "127.0.0.1", "c.test", "alice", "mx", t, 10, t, false, false);
    assertNull(plain.authSubmitter());
    assertFalse(plain.toJson().containsKey("authSubmitter"));
    assertEquals(plain, Envelope.fromJson(plain.toJson()));

    Envelope kept = plain.withAuthSubmitter("alice+sub@x.test");
    JsonObject json = new JsonObject(kept.toJson().encode());
    assertEquals("alice+sub@x.test", json.getString("authSubmitter"));
    assertEquals(kept, Envelope.fromJson(json));
    assertEquals("alice+sub@x.test", kept.withSize(99).withHeld(true).withDelayWarned(true)
        .withNextAttempt(t.plusSeconds(5)).withPrependHeaders("X: y\r\n").withBounceDsnId("d1").withPool("p")
        .mapRecipients(r -> r).authSubmitter());
  }
}
