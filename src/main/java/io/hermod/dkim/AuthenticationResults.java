package io.hermod.dkim;

import java.util.List;

/**
 * The Authentication-Results header field (RFC 8601) for one inbound message: our authserv-id, the SPF
 * result (§2.7.2) and one dkim= clause per verified signature (§2.7.1). Everything that came from the client
 * or the message is reduced to a token or a quoted string, so nothing it sends can end the field.
 */
public final class AuthenticationResults {

  /** header.b= shows this many characters of b=, enough to tell signatures apart (RFC 6008 §4). */
  static final int B_PREFIX = 8;

  private AuthenticationResults() {
  }

  /**
   * An SPF result and the identity that was checked.
   *
   * @param result   the RFC 7208 result keyword ("pass", "softfail"...)
   * @param property "smtp.mailfrom", or "smtp.helo" when the null sender made the HELO name the identity
   * @param value    the address or HELO name checked
   */
  public record Spf(String result, String property, String value) {

    /** RFC 7208 §2.4: with MAIL FROM:<> the HELO identity is what was checked. */
    public static Spf of(String result, String sender, String helo) {
      return sender == null || sender.isEmpty()
          ? new Spf(result, "smtp.helo", helo) : new Spf(result, "smtp.mailfrom", sender);
    }
  }

  /**
   * @param authservId our host name
   * @param spf        the SPF result, or null when SPF was not checked
   * @param dkim       the DKIM verdicts (a single none without signatures), or empty when DKIM was not verified
   * @return the field with its CRLF
   */
  public static String header(String authservId, Spf spf, List<DkimVerdict> dkim) {
    StringBuilder sb = new StringBuilder("Authentication-Results: ").append(value(authservId));
    if (spf == null && dkim.isEmpty()) {
      return sb.append("; none\r\n").toString(); // §2.2: no authentication was done
    }
    if (spf != null) {
      sb.append(";\r\n\tspf=").append(spf.result()).append(' ').append(spf.property()).append('=')
          .append(value(spf.value()));
    }
    for (DkimVerdict v : dkim) {
      sb.append(";\r\n\tdkim=").append(v.result().keyword());
      if (v.reason() != null) {
        sb.append(" reason=").append(value(v.reason()));
      }
      if (v.domain() != null) {
        sb.append(" header.d=").append(value(v.domain())).append(" header.s=").append(value(v.selector()))
            .append(" header.a=").append(v.algorithm())
            .append(" header.b=").append(value(v.b().substring(0, Math.min(B_PREFIX, v.b().length()))));
      }
    }
    return sb.append("\r\n").toString();
  }

  /** A token as is (RFC 2045 token, plus "@" for the addresses of §2.2's pvalue), else a quoted string. */
  static String value(String s) {
    if (!s.isEmpty() && s.matches("[A-Za-z0-9!#$%&'*+^_`{|}~.@-]+")) {
      return s;
    }
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < s.length() && i < 255; i++) {
      char c = s.charAt(i);
      q.append(c == '"' || c == '\\' ? "\\" + c : c >= ' ' && c < 127 ? String.valueOf(c) : "?");
    }
    return q.append('"').toString();
  }
}
