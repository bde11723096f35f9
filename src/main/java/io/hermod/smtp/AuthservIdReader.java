package io.hermod.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the authserv-id at the start of an Authentication-Results value one byte at a time and says, as soon
 * as it can, whether it is ours (RFC 8601 §2.2: {@code authserv-id [ CFWS authres-version ] ...}, the id a
 * token or a quoted-string, RFC 2045 §5.1, after optional CFWS, comments nested and folded, RFC 5322 §3.2.2).
 * Only the first token decides: whatever follows it (a version number, the ";") cannot change whose id it
 * is. Compared case-insensitively, a single trailing dot ignored. Holds no bytes, only a position.
 */
final class AuthservIdReader {

  enum Verdict { MORE, OURS, OTHER }

  private enum State { CFWS, COMMENT, COMMENT_ESCAPE, QUOTED, QUOTED_ESCAPE, TOKEN }

  private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

  private final byte[] ours; // lower case, no trailing dot

  private State state;
  private int depth;       // comment nesting
  private int matched;     // bytes of the id read so far, all equal to ours
  private boolean trailingDot;
  private boolean mismatch;

  /** @param authservId our authserv-id (the configured hostname) */
  AuthservIdReader(String authservId) {
    String id = authservId.toLowerCase(Locale.ROOT);
    this.ours = (id.endsWith(".") ? id.substring(0, id.length() - 1) : id).getBytes(StandardCharsets.UTF_8);
    reset();
  }

  /** Starts over at the first byte after the field's colon. */
  void reset() {
    state = State.CFWS;
    depth = 0;
    matched = 0;
    trailingDot = false;
    mismatch = false;
  }

  /** The next byte of the value (folding CRLFs included). */
  Verdict next(int c) {
    switch (state) {
      case CFWS -> {
        if (c == '(') {
          depth = 1;
          state = State.COMMENT;
        } else if (c == '"') {
          state = State.QUOTED;
        } else if (isTokenChar(c)) {
          state = State.TOKEN;
          return idByte(c);
        } else if (!isWhitespace(c)) {
          return Verdict.OTHER; // ";" or another special first: no authserv-id
        }
      }
      case COMMENT -> {
        if (c == '\\') {
          state = State.COMMENT_ESCAPE;
        } else if (c == '(') {
          depth++;
        } else if (c == ')' && --depth == 0) {
          state = State.CFWS;
        }
      }
      case COMMENT_ESCAPE -> state = State.COMMENT;
      case QUOTED -> {
        if (c == '\\') {
          state = State.QUOTED_ESCAPE;
        } else if (c == '"') {
          return verdict();
        } else if (c != '\r' && c != '\n') { // a folding CRLF inside a quoted-string is FWS
          return idByte(c);
        }
      }
      case QUOTED_ESCAPE -> {
        state = State.QUOTED;
        return idByte(c);
      }
      case TOKEN -> {
        return isTokenChar(c) ? idByte(c) : verdict();
      }
    }
    return Verdict.MORE;
  }

  /** The field ended before a verdict: an id cut short by the end is still read as an id. */
  Verdict end() {
    return state == State.TOKEN || state == State.QUOTED || state == State.QUOTED_ESCAPE ? verdict() : Verdict.OTHER;
  }

  private Verdict idByte(int c) {
    if (matched < ours.length && Ascii.toLower(c) == ours[matched]) {
      matched++;
    } else if (matched == ours.length && c == '.' && !trailingDot) {
      trailingDot = true;
    } else {
      mismatch = true;
    }
    return mismatch ? Verdict.OTHER : Verdict.MORE; // a longer or different id is never ours: decide at once
  }

  private Verdict verdict() {
    return !mismatch && matched == ours.length ? Verdict.OURS : Verdict.OTHER;
  }

  private static boolean isWhitespace(int c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** RFC 2045 §5.1 token: no space, CTL or tspecial; 8-bit bytes count as token bytes (never ours). */
  private static boolean isTokenChar(int c) {
    return c > ' ' && c != 127 && TSPECIALS.indexOf(c) < 0;
  }
}
