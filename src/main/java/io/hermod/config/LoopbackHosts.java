package io.hermod.config;

import java.net.InetAddress;
import java.util.Locale;

/** Whether a configured bind host is a loopback address, decided without DNS. */
final class LoopbackHosts {

  private LoopbackHosts() {
  }

  /** "localhost", 127.0.0.0/8 and ::1 are; names other than localhost and wildcard addresses are not. */
  static boolean isLoopback(String host) {
    if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    return HostNames.ipLiteral(host).map(InetAddress::isLoopbackAddress).orElse(false); // a literal: no lookup
  }
}
