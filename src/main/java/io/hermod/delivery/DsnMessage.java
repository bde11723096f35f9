package io.hermod.delivery;

import io.hermod.smtp.BodyType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A DSN ready to spool, in three pieces so a large original never sits in memory: write {@code head}, then
 * (only when {@code include} is FULL) the original message bytes exactly as spooled, then {@code tail}.
 * Spooled messages end with CRLF, which the tail's closing delimiter relies on (RFC 2046 §5.1.1).
 *
 * @param head     the DSN header, parts 1 and 2, and part 3 up to where the original goes (with HEADERS
 *                 the original header section is already inside)
 * @param include  what of the original the DSN carries
 * @param tail     the closing boundary
 * @param body     the BODY= the DSN needs when it is relayed (8BITMIME/BINARYMIME if the original
 *                 content it carries needs it)
 * @param smtpUtf8 the DSN needs SMTPUTF8 (RFC 6533: the original did, or an address is not ASCII)
 */
public record DsnMessage(byte[] head, IncludeOriginal include, byte[] tail, BodyType body, boolean smtpUtf8) {

  /** True when the caller must copy the original message between head and tail. */
  public boolean streamsOriginal() {
    return include == IncludeOriginal.FULL;
  }

  /** The size of the complete DSN, given the spooled size of the original. */
  public long size(long originalSize) {
    return head.length + (streamsOriginal() ? originalSize : 0) + tail.length;
  }

  /**
   * Writes the complete DSN with blocking streams (for tests and tools; the delivery verticle copies with
   * its own asynchronous file I/O). {@code original} is read only when {@link #streamsOriginal()}.
   */
  public void writeTo(OutputStream out, InputStream original) throws IOException {
    out.write(head);
    if (streamsOriginal()) {
      original.transferTo(out);
    }
    out.write(tail);
  }
}
