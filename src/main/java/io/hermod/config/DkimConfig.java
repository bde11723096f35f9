package io.hermod.config;

import java.util.List;

/**
 * DKIM signing of outbound mail and verification of inbound mail (RFC 6376), see docs/security.md.
 *
 * @param keys                  one entry per signing domain ("dkim.keys"); empty: nothing is signed
 * @param verify                verify DKIM signatures of mail from other servers on mx listeners and add an
 *                              Authentication-Results field ("dkim.verify")
 * @param maxSignaturesVerified at most this many DKIM-Signature fields of one message are verified, the
 *                              first ones in the message ("dkim.maxSignaturesVerified")
 */
public record DkimConfig(List<Key> keys, boolean verify, int maxSignaturesVerified) {

  /** The header fields signed when a key names none (RFC 6376 §5.4.1 recommendations). */
  public static final List<String> DEFAULT_HEADERS = List.of("From", "To", "Subject", "Date", "Message-ID", "Cc",
      "Reply-To", "MIME-Version", "Content-Type", "Content-Transfer-Encoding");

  public DkimConfig {
    keys = List.copyOf(keys);
  }

  /** Signing keys with verification at its defaults (on, 5 signatures). */
  public DkimConfig(List<Key> keys) {
    this(keys, true, 5);
  }

  /**
   * @param domain         the d= domain, lower case; mail whose From header is in this domain is signed
   * @param selector       the s= selector (the public key is at {@code selector._domainkey.domain})
   * @param privateKeyFile PEM PKCS#8 private key, RSA or Ed25519 (RFC 8463)
   * @param headers        header field names to sign; must include From
   */
  public record Key(String domain, String selector, String privateKeyFile, List<String> headers) {
    public Key {
      headers = List.copyOf(headers);
    }
  }
}
