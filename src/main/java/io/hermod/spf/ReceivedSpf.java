package io.hermod.spf;

/**
 * The Received-SPF header field (RFC 7208 §9.1), prepended above our Received field. Every value from the
 * client is reduced to printable ASCII without quotes or backslashes and quoted, so nothing it sends can end
 * the field or add another.
 */
public final class ReceivedSpf {

  private ReceivedSpf() {
  }

  /** The field with its CRLF. */
  public static String header(SpfVerdict v, String clientIp, String sender, String helo, String receiver) {
    StringBuilder sb = new StringBuilder("Received-SPF: ").append(v.result().keyword())
        .append(" (").append(clean(receiver)).append(": ").append(comment(v, clientIp)).append(")\r\n\t")
        .append("client-ip=").append(clean(clientIp))
        .append("; envelope-from=").append(quoted(sender.isEmpty() ? "postmaster@" + helo : sender))
        .append("; helo=").append(quoted(helo))
        .append(";\r\n\treceiver=").append(clean(receiver))
        .append("; identity=mailfrom");
    if (v.mechanism() != null) {
      sb.append("; mechanism=").append(quoted(v.mechanism()));
    }
    if (v.problem() != null) {
      sb.append(";\r\n\tproblem=").append(quoted(v.problem()));
    }
    return sb.append("\r\n").toString();
  }

  private static String comment(SpfVerdict v, String ip) {
    String domain = "domain of " + clean(v.domain());
    return switch (v.result()) {
      case PASS -> domain + " designates " + clean(ip) + " as permitted sender";
      case FAIL -> domain + " does not designate " + clean(ip) + " as permitted sender";
      case SOFTFAIL -> "transitioning " + domain + " does not designate " + clean(ip) + " as permitted sender";
      case NEUTRAL -> clean(ip) + " is neither permitted nor denied by " + domain;
      case NONE -> domain + " does not publish SPF";
      case TEMPERROR -> "temporary error checking " + domain;
      case PERMERROR -> "permanent error in the SPF record of " + clean(v.domain());
    };
  }

  private static String quoted(String s) {
    return "\"" + clean(s) + "\"";
  }

  /** Printable ASCII without ( ) " \ , at most 255 characters. */
  static String clean(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 255; i++) {
      char c = s.charAt(i);
      sb.append(c > ' ' && c < 127 && c != '"' && c != '\\' && c != '(' && c != ')' ? c : c == ' ' ? ' ' : '?');
    }
    return sb.toString();
  }
}
