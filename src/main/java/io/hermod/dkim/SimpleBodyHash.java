package io.hermod.dkim;

/**
 * The "simple" body canonicalization (RFC 6376 §3.4.3): the body unchanged except that empty lines at its
 * end are removed; an empty body, or one not ending in CRLF, gets a CRLF.
 */
public final class SimpleBodyHash extends BodyHash {

  private long emptyLines;  // CRLFs of empty lines not yet written: only written if content follows
  private boolean atLineStart = true;
  private boolean anyContent;

  /** @param limit hash only this many canonical octets (l=), -1 for all */
  public SimpleBodyHash(long limit) {
    super(limit);
  }

  @Override
  protected void octet(byte c) {
    for (; emptyLines > 0; emptyLines--) {
      emitCrlf();
    }
    atLineStart = false;
    anyContent = true;
    emit(c);
  }

  @Override
  protected void lineEnd() {
    if (atLineStart) {
      emptyLines++; // held back: trailing empty lines are dropped
    } else {
      emitCrlf();
      atLineStart = true;
    }
  }

  @Override
  protected void endBody() {
    if (!atLineStart || !anyContent) {
      emitCrlf(); // §3.4.3: "If there is no body or no trailing CRLF on the message body, a CRLF is added"
    }
  }
}
