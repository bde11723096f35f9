package io.hermod.smtp;

/**
 * Parses a reverse-path or forward-path (RFC 5321 §4.1.2):
 * <pre>
 *   Path      = "<" [ A-d-l ":" ] Mailbox ">"
 *   Mailbox   = Local-part "@" ( Domain / address-literal )
 *   Local-part = Dot-string / Quoted-string
 * </pre>
 * Non-ASCII is parsed (RFC 6531) and left for the caller to allow or refuse depending on SMTPUTF8.
 * Length limits: local part 64, domain 255, path 256 octets (RFC 5321 §4.5.3.1).
 */
final class PathParser {

  /** Result of a parse: the mailbox (null for the null path {@code <>}) and where parsing stopped. */
  record Result(Mailbox mailbox, int end) {
  }

  static final class PathSyntaxException extends Exception {
    PathSyntaxException(String message) {
      super(message, null, false, false);
    }
  }

  private final String s;
  private int pos;

  private PathParser(String s, int pos) {
    this.s = s;
    this.pos = pos;
  }

  /**
   * @param allowNull         accept {@code <>} (reverse path)
   * @param allowBarePostmaster accept {@code <postmaster>} without a domain (forward path)
   */
  static Result parse(String s, int from, boolean allowNull, boolean allowBarePostmaster) throws PathSyntaxException {
    return new PathParser(s, from).path(allowNull, allowBarePostmaster);
  }

  private Result path(boolean allowNull, boolean allowBarePostmaster) throws PathSyntaxException {
    int start = pos;
    expect('<');
    if (peek() == '>' && allowNull) {
      pos++;
      return new Result(null, pos);
    }
    boolean route = false;
    if (peek() == '@') {
      sourceRoute();
      route = true;
    }
    String local = localPart();
    String domain = null;
    if (peek() == '@') {
      pos++;
      domain = peek() == '[' ? addressLiteral() : domain();
    } else if (!(allowBarePostmaster && !route && local.equalsIgnoreCase("postmaster"))) {
      throw new PathSyntaxException("missing domain");
    }
    expect('>');
    if (utf8Length(local) > 64) {
      throw new PathSyntaxException("local part too long");
    }
    if (domain != null && utf8Length(domain) > 255) {
      throw new PathSyntaxException("domain too long");
    }
    if (utf8Length(s.substring(start, pos)) > 256) {
      throw new PathSyntaxException("path too long");
    }
    return new Result(new Mailbox(local, domain, route), pos);
  }

  /** A-d-l = At-domain *( "," At-domain ) ":" — parsed and ignored (RFC 5321 §4.1.1.3, Appendix C). */
  private void sourceRoute() throws PathSyntaxException {
    do {
      expect('@');
      domain();
    } while (consume(','));
    expect(':');
  }

  private String localPart() throws PathSyntaxException {
    int start = pos;
    if (peek() == '"') {
      pos++;
      while (true) {
        int c = peek();
        if (c == '"') {
          pos++;
          break;
        } else if (c == '\\') {
          pos++;
          int q = peek();
          if (q < 32 || q == 127 || q == -1) {
            throw new PathSyntaxException("bad quoted-pair");
          }
          pos += Character.charCount(q);
        } else if (c != -1 && Ascii.isQtext(c)) {
          pos += Character.charCount(c);
        } else {
          throw new PathSyntaxException("bad quoted string");
        }
      }
      return s.substring(start, pos);
    }
    atom();
    while (peek() == '.') {
      pos++;
      atom();
    }
    return s.substring(start, pos);
  }

  private void atom() throws PathSyntaxException {
    int start = pos;
    while (pos < s.length() && Ascii.isAtext(s.codePointAt(pos))) {
      pos += Character.charCount(s.codePointAt(pos));
    }
    if (pos == start) {
      throw new PathSyntaxException("empty atom");
    }
  }

  /** Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str], U-labels allowed (RFC 6531). */
  private String domain() throws PathSyntaxException {
    int start = pos;
    subDomain();
    while (peek() == '.') {
      pos++;
      if (peek() == '>' ) {
        break; // a trailing dot ("example.com.") is kept; policy normalizes it
      }
      subDomain();
    }
    return s.substring(start, pos);
  }

  private void subDomain() throws PathSyntaxException {
    int start = pos;
    int last = -1;
    while (pos < s.length()) {
      int c = s.codePointAt(pos);
      if (Ascii.isLetDig(c) || c > 127 || (c == '-' && pos > start)) {
        last = c;
        pos += Character.charCount(c);
      } else {
        break;
      }
    }
    if (pos == start || last == '-' || pos - start > 63) {
      throw new PathSyntaxException("bad domain label");
    }
  }

  /** address-literal = "[" ( IPv4 / IPv6 / General ) "]"; content checked loosely, policy refuses relay to it. */
  private String addressLiteral() throws PathSyntaxException {
    int start = pos;
    expect('[');
    while (pos < s.length() && s.charAt(pos) != ']') {
      char c = s.charAt(pos);
      // dcontent = %d33-90 / %d94-126 (RFC 5321 §4.1.3)
      if (c < 33 || c > 126 || c == '[' || c == '\\') {
        throw new PathSyntaxException("bad address literal");
      }
      pos++;
    }
    expect(']');
    if (pos - start <= 2) {
      throw new PathSyntaxException("empty address literal");
    }
    return s.substring(start, pos);
  }

  private int peek() {
    return pos < s.length() ? s.codePointAt(pos) : -1;
  }

  private boolean consume(char c) {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) throws PathSyntaxException {
    if (!consume(c)) {
      throw new PathSyntaxException("expected '" + c + "'");
    }
  }

  private static int utf8Length(String str) {
    int n = 0;
    for (int i = 0; i < str.length(); i++) {
      char c = str.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }
}
