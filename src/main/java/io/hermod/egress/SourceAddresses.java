package io.hermod.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Which configured sources this node can send from: a source whose address cannot be bound here (it belongs
 * to another machine, or the interface is down) is skipped with one WARNING at start, not failed per
 * message; its pools use their other sources, or the default source when none is left.
 */
public final class SourceAddresses {

  private static final Logger LOG = Logger.getLogger(SourceAddresses.class.getName());

  /** Binds a socket to an address (port 0) and closes it, or fails saying why. */
  @FunctionalInterface
  public interface Probe {
    void bind(String address) throws IOException;
  }

  private SourceAddresses() {
  }

  /** The sources this node can use, checked with {@link #bindLocally}. Blocking (briefly): not on an event loop. */
  public static Map<String, EgressSource> usable(Map<String, EgressSource> sources) {
    return usable(sources, SourceAddresses::bindLocally, LOG);
  }

  /** The sources whose address {@code probe} could bind, in configuration order; one warning per other one. */
  public static Map<String, EgressSource> usable(Map<String, EgressSource> sources, Probe probe, Logger log) {
    Map<String, EgressSource> out = new LinkedHashMap<>();
    for (EgressSource s : sources.values()) {
      try {
        probe.bind(s.address());
        out.put(s.name(), s);
      } catch (IOException | RuntimeException e) {
        log.warning("egress source " + s.name() + ": address " + s.address() + " is not usable on this node ("
            + e.getMessage() + "); the source is skipped: its pools send from their other sources, or from the "
            + "default address when none is left");
      }
    }
    return out;
  }

  /**
   * A TCP socket bound to {@code address} on an ephemeral port, then closed: no packet is sent. Linux refuses
   * an address that is not on this node (EADDRNOTAVAIL), while any of 127.0.0.0/8 is accepted.
   */
  public static void bindLocally(String address) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0)); // a literal: no DNS lookup
    }
  }
}
