package io.hermod.config;

/**
 * A configured next hop: "[host]:port" means that exact host (no MX lookup), "host:port" or "host"
 * means look up MX of host, as Postfix's transport and relayhost syntax.
 *
 * @param host   host name or IP literal, without brackets
 * @param port   port, or 0 for the routing default
 * @param noMx   the host was bracketed: connect to it directly
 */
public record NextHop(String host, int port, boolean noMx) {

  /**
   * Parses "[h]:p", "[h]", "h:p" or "h". IPv6 literals must be bracketed. The host must be a domain name
   * (lower-cased) or an IP literal; anything else throws IllegalArgumentException.
   */
  public static NextHop parse(String spec) {
    String s = spec.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty next hop");
    }
    boolean noMx = false;
    String host;
    String rest;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in next hop '" + spec + "'");
      }
      noMx = true;
      host = s.substring(1, close);
      rest = s.substring(close + 1);
    } else {
      int colon = s.indexOf(':');
      host = colon < 0 ? s : s.substring(0, colon);
      rest = colon < 0 ? "" : s.substring(colon);
    }
    int port = 0;
    if (!rest.isEmpty()) {
      if (!rest.startsWith(":")) {
        throw new IllegalArgumentException("bad next hop '" + spec + "'");
      }
      try {
        port = Integer.parseInt(rest.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in next hop '" + spec + "'");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range in next hop '" + spec + "'");
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host in next hop '" + spec + "'");
    }
    String checked = HostNames.hostOrAddress(host)
        .orElseThrow(() -> new IllegalArgumentException("bad host in next hop '" + spec + "'"));
    return new NextHop(checked, port, noMx);
  }

  @Override
  public String toString() {
    String h = noMx ? "[" + host + "]" : host;
    return port == 0 ? h : h + ":" + port;
  }
}
