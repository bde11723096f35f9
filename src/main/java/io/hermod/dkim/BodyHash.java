package io.hermod.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A body canonicalization (RFC 6376 §3.4.3, §3.4.4) fed byte by byte as the message streams, its output
 * hashed with SHA-256 at once, so memory stays constant whatever the size. With a length limit (the l= tag,
 * §3.5) only that many canonical octets are hashed; the canonical length is counted in full.
 */
public abstract class BodyHash {

  private static final int UNLIMITED = -1;

  private final MessageDigest sha256;
  private final long limit;
  private final byte[] out = new byte[8192];
  private int outLength;
  private long length; // canonical octets produced so far, hashed or not
  private boolean pendingCr;

  protected BodyHash(long limit) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    this.limit = limit < 0 ? UNLIMITED : limit;
  }

  public final void update(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      update(b[i]);
    }
  }

  /** Pairs CR LF into line ends; any other byte, a lone CR included, is content of the current line. */
  public final void update(byte c) {
    if (pendingCr) {
      pendingCr = false;
      if (c == '\n') {
        lineEnd();
        return;
      }
      octet((byte) '\r'); // a CR not followed by LF is ordinary content (the listener refuses these anyway)
    }
    if (c == '\r') {
      pendingCr = true;
    } else {
      octet(c);
    }
  }

  /** One octet of a line (never part of a CRLF). */
  protected abstract void octet(byte c);

  /** A CRLF. */
  protected abstract void lineEnd();

  /** Emits whatever the canonicalization still holds at the end of the body. */
  protected abstract void endBody();

  /** The SHA-256 of the canonical body (or of its first l octets); call once, after the last byte. */
  public final byte[] digest() {
    if (pendingCr) {
      pendingCr = false;
      octet((byte) '\r');
    }
    endBody();
    sha256.update(out, 0, outLength);
    outLength = 0;
    return sha256.digest();
  }

  /** Octets of the whole canonical body; valid after {@link #digest()}. */
  public final long canonicalLength() {
    return length;
  }

  protected final void emit(byte b) {
    length++;
    if (limit != UNLIMITED && length > limit) {
      return;
    }
    if (outLength == out.length) {
      sha256.update(out, 0, outLength);
      outLength = 0;
    }
    out[outLength++] = b;
  }

  protected final void emitCrlf() {
    emit((byte) '\r');
    emit((byte) '\n');
  }
}
