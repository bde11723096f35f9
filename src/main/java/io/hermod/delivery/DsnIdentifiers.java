package io.hermod.delivery;

import java.util.HexFormat;
import java.util.Random;

/** Makes the unique tokens of a DSN: the MIME boundary and the Message-ID. Injectable for tests. */
public interface DsnIdentifiers {

  /** A MIME boundary (RFC 2046 §5.1.1: 1-70 characters) that will not occur in the original message. */
  String boundary();

  /** The Message-ID's left-hand side (without angle brackets or "@domain"). */
  String messageIdLocalPart();

  /**
   * Random tokens: 128 bits each, so a boundary cannot collide with a line of an original by accident.
   * Production passes a {@link java.security.SecureRandom} so that a sender cannot predict the boundary
   * and plant it in a message that is later returned with RET=FULL.
   */
  static DsnIdentifiers random(Random random) {
    return new DsnIdentifiers() {
      @Override
      public String boundary() {
        // "=_" cannot appear in quoted-printable text, another guard against collisions.
        return "=_hermod-" + token();
      }

      @Override
      public String messageIdLocalPart() {
        return "dsn." + token();
      }

      private String token() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
      }
    };
  }
}
