package io.hermod.routing;

import java.net.InetAddress;
import java.util.List;

/**
 * One mail exchanger of a domain with the addresses it resolved to.
 *
 * @param name       host name without the trailing dot (or the IP literal's address text)
 * @param preference MX preference, lower is tried first (RFC 5321 §5.1); 0 for an implicit MX or a literal
 * @param addresses  IPv4 addresses first, then IPv6, each in the order the DNS answered; never empty
 */
public record MxHost(String name, int preference, List<InetAddress> addresses) {

  public MxHost {
    addresses = List.copyOf(addresses);
  }
}
