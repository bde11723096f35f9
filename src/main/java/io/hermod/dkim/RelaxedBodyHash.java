package io.hermod.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The "relaxed" body canonicalization (RFC 6376 §3.4.4) fed byte by byte, hashed with SHA-256 as it goes,
 * so a message of any size is hashed while it streams to the spool: white space runs inside a line become
 * one SP, white space at line ends goes, empty lines at the end go, and a last line without CRLF gets one.
 * An empty body hashes the empty string (RFC 6376 errata 1384).
 */
public final class RelaxedBodyHash {

  private static final byte[] CRLF = {'\r', '\n'};

  private final MessageDigest sha256;
  private final byte[] out = new byte[8192];
  private int outLength;
  private long emptyLines;     // empty lines seen and not yet written: only written if content follows
  private boolean lineHasContent;
  private boolean pendingSpace; // a run of WSP not yet written: one SP if content follows on this line
  private boolean pendingCr;

  public RelaxedBodyHash() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public void update(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      update(b[i]);
    }
  }

  public void update(byte c) {
    if (pendingCr) {
      pendingCr = false;
      if (c == '\n') {
        endLine();
        return;
      }
      content((byte) '\r'); // a CR not followed by LF is ordinary content (the listener refuses these anyway)
    }
    if (c == '\r') {
      pendingCr = true;
    } else if (c == ' ' || c == '\t') {
      pendingSpace = true;
    } else {
      content(c);
    }
  }

  private void content(byte c) {
    if (!lineHasContent) {
      for (; emptyLines > 0; emptyLines--) {
        emit(CRLF[0]);
        emit(CRLF[1]);
      }
      lineHasContent = true;
    }
    if (pendingSpace) {
      emit((byte) ' ');
      pendingSpace = false;
    }
    emit(c);
  }

  private void endLine() {
    pendingSpace = false; // trailing white space is ignored
    if (lineHasContent) {
      emit(CRLF[0]);
      emit(CRLF[1]);
      lineHasContent = false;
    } else {
      emptyLines++;
    }
  }

  /** The SHA-256 of the canonical body; call once, after the last byte. */
  public byte[] digest() {
    if (pendingCr) {
      pendingCr = false;
      content((byte) '\r');
    }
    if (lineHasContent) {
      endLine(); // RFC 6376 §3.4.4: a non-empty body that does not end in CRLF gets one
    }
    sha256.update(out, 0, outLength);
    outLength = 0;
    return sha256.digest();
  }

  private void emit(byte b) {
    if (outLength == out.length) {
      sha256.update(out, 0, outLength);
      outLength = 0;
    }
    out[outLength++] = b;
  }
}
