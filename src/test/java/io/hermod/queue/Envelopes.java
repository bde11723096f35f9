package io.hermod.queue;

import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnRet;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;
import io.hermod.spool.RecipientState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Real envelopes for the index's tests, and a model of what the index should say about them. */
final class Envelopes {

  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

  private Envelopes() {
  }

  /** A well-formed queue id, distinct for each n (a fixed time part, n in the 7-character tail). */
  static String id(long n) {
    char[] id = "01jbz4k8x00000000".substring(0, 16).toCharArray();
    long v = n;
    for (int i = 15; i >= 9; i--) {
      id[i] = ALPHABET.charAt((int) (v & 31));
      v >>>= 5;
    }
    return new String(id);
  }

  /** A message of {@code sender} to {@code recipients} (all pending), arrived and next attempt as given. */
  static Envelope envelope(String id, String sender, Instant arrival, Instant next, String... recipients) {
    List<Recipient> rcpts = new ArrayList<>();
    for (String r : recipients) {
      rcpts.add(Recipient.pending(r, null, Set.of()));
    }
    return new Envelope(id, sender, rcpts, null, DsnRet.HDRS, BodyType.SEVEN_BIT, false, "127.0.0.1",
        "client.test", null, "mx", arrival, 1024, next, false, false);
  }

  /** The envelope with its recipients to {@code domain} delivered (final). */
  static Envelope delivered(Envelope env, String domain) {
    return env.mapRecipients(r -> r.address().endsWith("@" + domain)
        ? r.withOutcome(RecipientState.DELIVERED, "250 ok") : r);
  }

  /**
   * A message of a mixed queue: arrived up to 5 hours before T0 (on a whole minute), next attempt within an
   * hour of T0, one to three recipients in 30 domains (some in upper case), 20 senders and the null sender,
   * one in 20 held, one in 50 done.
   */
  static Envelope random(long n, Random random) {
    Instant arrival = T0.minusSeconds(60L * random.nextInt(300));
    Instant next = T0.plusSeconds(random.nextInt(7200) - 3600);
    int count = n % 10 == 0 ? 3 : 1;
    String[] rcpts = new String[count];
    for (int i = 0; i < count; i++) {
      String domain = "d" + random.nextInt(30) + ".test";
      rcpts[i] = "r" + i + "@" + (random.nextInt(10) == 0 ? domain.toUpperCase() : domain);
    }
    int s = random.nextInt(21);
    String sender = s == 20 ? "" : (s % 2 == 0 ? "S" : "s") + s + "@sender.test";
    Envelope env = envelope(id(n), sender, arrival, next, rcpts).withHeld(random.nextInt(20) == 0);
    return n % 50 == 0 ? env.mapRecipients(r -> r.withOutcome(RecipientState.DELIVERED, "250 ok")) : env;
  }
}
