package io.hermod.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/** Parses "host:port" resolver addresses: "192.0.2.1", "192.0.2.1:5353", "[::1]:53", "::1", "dns.example:53". */
final class ResolverAddresses {

  static final int DNS_PORT = 53;

  private ResolverAddresses() {
  }

  /** The address, or IllegalArgumentException with the reason. Names stay unresolved: no lookup here. */
  static InetSocketAddress parse(String spec) {
    return parse(spec, DNS_PORT);
  }

  /** The same with another default port (cluster members). */
  static InetSocketAddress parse(String spec, int defaultPort) {
    String s = spec.trim();
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']'");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':port' after ']'");
        }
        port = rest.substring(1);
      }
      if (HostNames.ipLiteral(host).filter(a -> a.getAddress().length == 16).isEmpty()) {
        throw new IllegalArgumentException("brackets are for IPv6 literals");
      }
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      host = s; // several colons and no brackets: a bare IPv6 literal, default port
    } else {
      int colon = s.indexOf(':');
      host = colon < 0 ? s : s.substring(0, colon);
      port = colon < 0 ? null : s.substring(colon + 1);
    }
    int portNumber = port == null ? defaultPort : parsePort(port);
    Optional<InetAddress> literal = HostNames.ipLiteral(host);
    if (literal.isPresent()) {
      return new InetSocketAddress(literal.get(), portNumber);
    }
    String name = HostNames.domain(host)
        .orElseThrow(() -> new IllegalArgumentException("not an IP address or host name"));
    return InetSocketAddress.createUnresolved(name, portNumber);
  }

  private static int parsePort(String text) {
    try {
      int p = Integer.parseInt(text);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("port must be from 1 to 65535");
  }
}
