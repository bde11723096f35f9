package io.hermod.egress;

import java.util.Objects;

/**
 * One egress source ("delivery.sources"): the local address outbound connections are bound to and the name
 * given in EHLO/HELO from it.
 *
 * @param name    the source's name in pools and queue keys: 1-32 of a-z, 0-9, _ and -
 * @param address an IP address literal of this node (IPv4 or IPv6), never a host name
 * @param ehlo    the EHLO/HELO name from this address (it should match the address's PTR record), or null for
 *                the configured hostname
 */
public record EgressSource(String name, String address, String ehlo) {

  public EgressSource {
    EgressNames.check("source", name);
    Objects.requireNonNull(address, "address");
  }

  /** The EHLO name from this source: its own, or {@code hostname} when it has none. */
  public String ehloOr(String hostname) {
    return ehlo == null ? hostname : ehlo;
  }
}
