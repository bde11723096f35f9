package io.hermod.routing;

import io.hermod.delivery.DeliveryJob;

import java.util.List;

/** What resolving a {@link Route} gave: addresses to deliver to, or a reply for every recipient. */
public sealed interface Target permits Target.Hosts, Target.Unreachable {

  /** Addresses in the order to try them (MX preference, then A before AAAA), each with its port. */
  record Hosts(List<DeliveryJob.Host> hosts) implements Target {
    public Hosts {
      hosts = List.copyOf(hosts);
    }
  }

  /**
   * No delivery possible now: a permanent failure (5xx, bounce) or a temporary one (4xx, defer).
   *
   * @param code   reply code, e.g. 556
   * @param status enhanced status code (RFC 3463), e.g. "5.1.10"
   * @param text   why, for the event, the envelope's lastReply and the DSN's diagnostic
   */
  record Unreachable(int code, String status, String text) implements Target {
    public boolean permanent() {
      return code >= 500;
    }
  }
}
