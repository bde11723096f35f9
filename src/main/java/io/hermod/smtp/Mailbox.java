package io.hermod.smtp;

import java.util.Locale;

/**
 * A mailbox from a MAIL or RCPT path (RFC 5321 §4.1.2).
 *
 * @param localPart   the local part as written: a dot-string, or a quoted string with its quotes
 * @param domain      the domain or address literal as written ("[192.0.2.1]"), or null for the bare
 *                    {@code <postmaster>} recipient (RFC 5321 §4.5.1)
 * @param sourceRoute the path carried an obsolete source route ("@a,@b:") which we parse and ignore
 *                    (RFC 5321 §4.1.1.3, Appendix C): relay policy judges the final mailbox alone
 */
public record Mailbox(String localPart, String domain, boolean sourceRoute) {

  public boolean isQuoted() {
    return localPart.startsWith("\"");
  }

  /** The local part with quoting removed (quoted-pairs resolved). */
  public String unquotedLocalPart() {
    if (!isQuoted()) {
      return localPart;
    }
    StringBuilder sb = new StringBuilder(localPart.length());
    for (int i = 1; i < localPart.length() - 1; i++) {
      char c = localPart.charAt(i);
      if (c == '\\' && i + 1 < localPart.length() - 1) {
        c = localPart.charAt(++i);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  public boolean isAddressLiteral() {
    return domain != null && domain.startsWith("[");
  }

  /** Postmaster in any case, with or without a domain (RFC 5321 §4.5.1). */
  public boolean isPostmaster() {
    return unquotedLocalPart().equalsIgnoreCase("postmaster");
  }

  /** Domain in lower case without a trailing dot, or null. */
  public String normalizedDomain() {
    if (domain == null) {
      return null;
    }
    String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    return d.toLowerCase(Locale.ROOT);
  }

  public boolean isAscii() {
    return Ascii.isAscii(localPart) && (domain == null || Ascii.isAscii(domain));
  }

  /** The address as it appears between angle brackets (without the source route). */
  public String address() {
    return domain == null ? localPart : localPart + "@" + domain;
  }

  @Override
  public String toString() {
    return address();
  }
}
