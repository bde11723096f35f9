package io.hermod.spool;

import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnNotify;
import io.hermod.smtp.DsnRet;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The envelope line is written straight from the envelope's fields (issue #17): byte for byte what Vert.x's
 * encoder (Jackson) writes for its JsonObject, and read back into the same envelope.
 */
class EnvelopeLineTest {

  @Test
  void randomEnvelopesAreWrittenAsJacksonWritesTheirJsonAndReadBack() {
    SplittableRandom r = new SplittableRandom(17);
    for (int n = 0; n < 2_000; n++) {
      Envelope e = envelope(r);
      JsonObject json = e.toJson();
      byte[] jackson = json.toBuffer().appendByte((byte) '\n').getBytes();
      byte[] line = EnvelopeFile.line(e);
      assertArrayEquals(jackson, line, () -> new String(jackson, StandardCharsets.UTF_8));
      assertEquals(e, Envelope.fromJson(new JsonObject(new String(line, StandardCharsets.UTF_8))));
    }
  }

  private static Envelope envelope(SplittableRandom r) {
    List<Recipient> rcpts = new ArrayList<>();
    for (int i = 1 + r.nextInt(4); i > 0; i--) {
      EnumSet<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
      for (DsnNotify d : DsnNotify.values()) {
        if (r.nextInt(3) == 0) {
          notify.add(d);
        }
      }
      RecipientState state = RecipientState.values()[r.nextInt(RecipientState.values().length)];
      rcpts.add(new Recipient(text(r) + "@x.test", r.nextBoolean() ? "rfc822;" + text(r) : null, notify, state,
          r.nextInt(30), r.nextBoolean() ? "451 4.7.1 " + text(r) : null));
    }
    Instant arrival = Instant.ofEpochSecond(1_700_000_000L + r.nextInt(100_000_000), r.nextInt(1_000_000_000));
    return new Envelope(text(r), r.nextBoolean() ? "" : text(r) + "@y.test", rcpts, maybe(r),
        r.nextBoolean() ? null : DsnRet.values()[r.nextInt(DsnRet.values().length)],
        BodyType.values()[r.nextInt(BodyType.values().length)], r.nextBoolean(), "127.0.0." + r.nextInt(256),
        maybe(r), maybe(r), "mx", arrival, r.nextLong(1L << 40), arrival.plusSeconds(r.nextInt(100_000)),
        r.nextBoolean(), r.nextBoolean(), r.nextBoolean() ? null : "DKIM-Signature: " + text(r) + "\r\n", maybe(r),
        maybe(r), maybe(r), TlsRequest.values()[r.nextInt(TlsRequest.values().length)]);
  }

  private static String maybe(SplittableRandom r) {
    return r.nextBoolean() ? null : text(r);
  }

  /** Quotes, backslashes, control characters, non-ASCII and a surrogate pair among plain letters. */
  private static String text(SplittableRandom r) {
    String alphabet = "abcxyz09.-\"\\\u0001\t\né€\u0141𝄞";
    StringBuilder sb = new StringBuilder();
    for (int i = 1 + r.nextInt(12); i > 0; i--) {
      int cp = alphabet.codePointAt(alphabet.offsetByCodePoints(0, r.nextInt(alphabet.codePointCount(0, alphabet.length()))));
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  @Test
  void anEnvelopeWithoutItsOptionalFieldsIsTheSameToo() {
    Instant now = Instant.parse("2026-12-06T21:00:00.123Z");
    Envelope e = new Envelope("01kb4x7m2c9qz0ta", "s@x.test",
        List.of(Recipient.pending("u@fast.test", null, java.util.Set.of())), null, null, BodyType.SEVEN_BIT, false,
        "127.0.0.1", "client.test", null, "mx", now, 1100, now, false, false);
    byte[] line = EnvelopeFile.line(e);
    assertEquals("{\"version\":1,\"id\":\"01kb4x7m2c9qz0ta\",\"sender\":\"s@x.test\",\"recipients\":[{\"address\":"
        + "\"u@fast.test\",\"state\":\"PENDING\",\"attempts\":0}],\"body\":\"SEVEN_BIT\",\"smtpUtf8\":false,"
        + "\"clientAddress\":\"127.0.0.1\",\"clientHelo\":\"client.test\",\"listener\":\"mx\","
        + "\"arrival\":\"2026-12-06T21:00:00.123Z\",\"size\":1100,\"nextAttempt\":\"2026-12-06T21:00:00.123Z\","
        + "\"held\":false,\"delayWarned\":false}\n", new String(line, StandardCharsets.UTF_8));
    assertArrayEquals(e.toJson().toBuffer().appendByte((byte) '\n').getBytes(), Arrays.copyOf(line, line.length));
  }
}
