package io.hermod.dkim;

/**
 * The "relaxed" body canonicalization (RFC 6376 §3.4.4): white space runs inside a line become one SP, white
 * space at line ends goes, empty lines at the end go, and a last line without CRLF gets one. An empty body
 * hashes the empty string (RFC 6376 errata 1384).
 */
public final class RelaxedBodyHash extends BodyHash {

  private long emptyLines;     // empty lines seen and not yet written: only written if content follows
  private boolean lineHasContent;
  private boolean pendingSpace; // a run of WSP not yet written: one SP if content follows on this line

  public RelaxedBodyHash() {
    this(-1);
  }

  /** @param limit hash only this many canonical octets (l=), -1 for all */
  public RelaxedBodyHash(long limit) {
    super(limit);
  }

  @Override
  protected void octet(byte c) {
    if (c == ' ' || c == '\t') {
      pendingSpace = true;
    } else {
      content(c);
    }
  }

  private void content(byte c) {
    if (!lineHasContent) {
      for (; emptyLines > 0; emptyLines--) {
        emitCrlf();
      }
      lineHasContent = true;
    }
    if (pendingSpace) {
      emit((byte) ' ');
      pendingSpace = false;
    }
    emit(c);
  }

  @Override
  protected void lineEnd() {
    pendingSpace = false; // trailing white space is ignored
    if (lineHasContent) {
      emitCrlf();
      lineHasContent = false;
    } else {
      emptyLines++;
    }
  }

  @Override
  protected void endBody() {
    if (lineHasContent) {
      lineEnd(); // §3.4.4: a non-empty body that does not end in CRLF gets one
    }
  }
}
