package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Removes, as the content streams past, every {@code Authentication-Results} header field whose authserv-id
 * is ours (RFC 8601 §5: a sender could forge results "from us" that filters downstream would trust).
 * Only the header section is looked at (up to its empty line); everything else passes byte for byte, and
 * the output does not depend on where the chunks were cut.
 * <p>
 * Memory: only the beginning of one field is held back, from the start of a field named
 * Authentication-Results (any case, RFC 5322 §3.6.8, the obsolete WSP before the colon accepted) to its
 * authserv-id; then the field either passes or is dropped to its end. If the id has not been read after
 * {@link #MAX_HELD_BYTES} (a value starting with that many bytes of comments), the field is dropped: what a
 * consumer with no such limit would read as the id cannot be known, so we fail closed.
 */
public final class AuthResultsFilter {

  public static final int MAX_HELD_BYTES = 8192;

  private static final byte[] NAME = "authentication-results".getBytes(StandardCharsets.US_ASCII);

  /** Where we are in the current header field. */
  private enum Field { NAME, BEFORE_COLON, VALUE, PASS, DROP }

  private final AuthservIdReader reader;
  private final ByteArrayOutputStream held = new ByteArrayOutputStream();

  private Field field = Field.PASS; // a continuation line before any field passes
  private int nameMatched;
  private boolean lineStart = true;
  private boolean inHeaders = true;
  private int removed;

  /** @param authservId our authserv-id: the configured hostname */
  public AuthResultsFilter(String authservId) {
    this.reader = new AuthservIdReader(authservId);
  }

  /** The bytes of {@code chunk} that pass: the chunk itself once the header section is over. */
  public Buffer filter(Buffer chunk) {
    if (!inHeaders) {
      return chunk;
    }
    Buffer out = Buffer.buffer(chunk.length());
    for (int i = 0; i < chunk.length(); i++) {
      int c = chunk.getByte(i) & 0xff;
      if (lineStart && !continuesField(c, out)) {
        out.appendBuffer(chunk, i, chunk.length() - i); // the empty line and the body
        return out;
      }
      lineStart = c == '\n';
      take(c, out);
    }
    return out;
  }

  /** At the end of the content: what was still held back (a field cut off by the end of the message). */
  public Buffer finish() {
    Buffer out = Buffer.buffer();
    if (inHeaders) {
      endField(out);
      inHeaders = false;
    }
    return out;
  }

  /** The header section is over: from now on every byte passes, and {@link #filter} returns its input. */
  public boolean headerSectionOver() {
    return !inHeaders;
  }

  /** How many fields were removed so far. */
  public int removed() {
    return removed;
  }

  /**
   * At the first byte of a line: WSP continues the field (RFC 5322 §2.2.3 folding), anything else ends
   * it. An empty line (CR or LF at once; a bare one is refused elsewhere) ends the header section.
   *
   * @return false when the header section is over
   */
  private boolean continuesField(int c, Buffer out) {
    if (c == ' ' || c == '\t') {
      return true;
    }
    endField(out);
    if (c == '\r' || c == '\n') {
      inHeaders = false;
      return false;
    }
    field = Field.NAME;
    nameMatched = 0;
    reader.reset();
    return true;
  }

  private void take(int c, Buffer out) {
    switch (field) {
      case PASS -> out.appendByte((byte) c);
      case DROP -> { }
      case NAME -> {
        if (nameMatched < NAME.length && Ascii.toLower(c) == NAME[nameMatched]) {
          nameMatched++;
          hold(c);
        } else if (nameMatched == NAME.length && (c == ':' || c == ' ' || c == '\t')) {
          field = c == ':' ? Field.VALUE : Field.BEFORE_COLON;
          hold(c);
        } else {
          passHeld(c, out); // another field
        }
      }
      case BEFORE_COLON -> {
        if (c == ':' || c == ' ' || c == '\t') {
          field = c == ':' ? Field.VALUE : Field.BEFORE_COLON;
          hold(c);
        } else {
          passHeld(c, out);
        }
      }
      case VALUE -> {
        AuthservIdReader.Verdict v = reader.next(c);
        if (v == AuthservIdReader.Verdict.OURS) {
          drop();
        } else if (v == AuthservIdReader.Verdict.OTHER) {
          held.write(c);
          passHeld(-1, out);
        } else {
          hold(c);
        }
      }
    }
  }

  /** Holds one more byte of a field that may be ours; past the cap the field is dropped (fail closed). */
  private void hold(int c) {
    held.write(c);
    if (held.size() > MAX_HELD_BYTES) {
      drop();
    }
  }

  /** The field ended (next field, empty line or end of content) while bytes may be held. */
  private void endField(Buffer out) {
    if (field == Field.VALUE && reader.end() == AuthservIdReader.Verdict.OURS) {
      drop();
    } else if (field != Field.PASS && field != Field.DROP) {
      passHeld(-1, out);
    }
  }

  /** Releases the held bytes, then {@code c} (unless -1); the rest of the field passes. */
  private void passHeld(int c, Buffer out) {
    out.appendBytes(held.toByteArray());
    held.reset();
    if (c >= 0) {
      out.appendByte((byte) c);
    }
    field = Field.PASS;
  }

  private void drop() {
    held.reset();
    removed++;
    field = Field.DROP;
  }
}
