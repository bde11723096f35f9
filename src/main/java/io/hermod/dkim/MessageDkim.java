package io.hermod.dkim;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Follows one message's content as it streams in (the bytes the client sent, dot-decoded, without our
 * Received header) and, at the end, produces its DKIM-Signature field when its From domain has a key.
 * Memory stays bounded: the header section is kept up to {@link #MAX_HEADER_BYTES}, the body only hashed.
 */
public final class MessageDkim {

  static final int MAX_HEADER_BYTES = 256 * 1024;

  private final DkimKeys keys;
  private final HeaderBlock headers = new HeaderBlock(MAX_HEADER_BYTES);
  private final RelaxedBodyHash body = new RelaxedBodyHash();

  public MessageDkim(DkimKeys keys) {
    this.keys = keys;
  }

  public void update(byte[] b, int from, int to) {
    int bodyStart = headers.update(b, from, to);
    body.update(b, bodyStart, to);
  }

  /**
   * The DKIM-Signature field (with CRLF) to put in front of the message, or null when it is not signed:
   * no single From with a domain that has a key, or a header section too large to keep.
   */
  public String signature(Instant now) {
    if (headers.tooLarge()) {
      return null;
    }
    List<HeaderField> fields = headers.fields();
    List<HeaderField> from = fields.stream().filter(f -> f.name().strip().equalsIgnoreCase("From")).toList();
    if (from.size() != 1) {
      return null; // RFC 5322 §3.6: exactly one From; anything else is not ours to vouch for
    }
    String domain = FromDomain.of(from.get(0).value());
    DkimKey key = domain == null ? null : keys.forDomain(domain.toLowerCase(Locale.ROOT));
    if (key == null) {
      return null;
    }
    return DkimSigner.sign(key, fields, body.digest(), now);
  }
}
