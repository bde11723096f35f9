package io.hermod.config;

import java.util.List;

/**
 * DKIM signing of outbound mail (RFC 6376), see docs/security.md.
 *
 * @param keys one entry per signing domain ("dkim.keys"); empty: nothing is signed
 */
public record DkimConfig(List<Key> keys) {

  /** The header fields signed when a key names none (RFC 6376 §5.4.1 recommendations). */
  public static final List<String> DEFAULT_HEADERS = List.of("From", "To", "Subject", "Date", "Message-ID", "Cc",
      "Reply-To", "MIME-Version", "Content-Type", "Content-Transfer-Encoding");

  public DkimConfig {
    keys = List.copyOf(keys);
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
