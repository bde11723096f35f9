package io.hermod.routing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.xbill.DNS.Address;

/** Address literals (RFC 5321 §4.1.3) parsed without ever asking DNS. */
final class IpLiteral {

  private static final String IPV6_TAG = "IPv6:";

  private IpLiteral() {
  }

  /** True for a domain written as an address literal, "[192.0.2.1]" or "[IPv6:2001:db8::1]". */
  static boolean isBracketed(String domain) {
    return domain.startsWith("[") && domain.endsWith("]");
  }

  /**
   * The address in {@code text}: brackets optional, "IPv6:" tag optional (RFC 5321 requires it inside
   * brackets; next hops written "[2001:db8::1]" come without it). Empty if {@code text} is no IP literal.
   */
  static Optional<InetAddress> parse(String text) {
    String s = isBracketed(text) ? text.substring(1, text.length() - 1) : text;
    if (s.regionMatches(true, 0, IPV6_TAG, 0, IPV6_TAG.length())) {
      return parse(s.substring(IPV6_TAG.length()), Address.IPv6);
    }
    return parse(s, s.indexOf(':') >= 0 ? Address.IPv6 : Address.IPv4);
  }

  private static Optional<InetAddress> parse(String s, int family) {
    try {
      return Optional.of(Address.getByAddress(s, family));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
