package io.hermod.routing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises ourselves among the hosts of a destination, so that mail is never sent back to our own
 * listener (a mail loop). A host is ourselves when its name is our hostname, or one of its addresses with
 * the delivery port is one of our listener endpoints (a wildcard listener matches every local address).
 */
public final class LoopDetector {

  private final String hostname;
  private final Set<InetSocketAddress> endpoints;
  private final Set<Integer> wildcardPorts;
  private final Set<InetAddress> localAddresses;

  public LoopDetector(String hostname, List<InetSocketAddress> ownEndpoints, Set<InetAddress> localAddresses) {
    this.hostname = hostname;
    this.endpoints = new HashSet<>();
    this.wildcardPorts = new HashSet<>();
    for (InetSocketAddress e : ownEndpoints) {
      if (e.getAddress() != null && e.getAddress().isAnyLocalAddress()) {
        wildcardPorts.add(e.getPort());
      } else {
        endpoints.add(e);
      }
    }
    this.localAddresses = Set.copyOf(localAddresses);
  }

  /**
   * For our listener endpoints; when one binds a wildcard address, the machine's interface addresses are
   * read once here (a quick system call at start-up, not per message).
   */
  public static LoopDetector forEndpoints(String hostname, List<InetSocketAddress> ownEndpoints) {
    boolean wildcard = ownEndpoints.stream().anyMatch(e -> e.getAddress() != null && e.getAddress().isAnyLocalAddress());
    return new LoopDetector(hostname, ownEndpoints, wildcard ? interfaceAddresses() : Set.of());
  }

  /**
   * The endpoint of a listener bound to {@code host} (an IP literal; "localhost" counts as 127.0.0.1) and
   * {@code port}; empty for another host name, which is never looked up here (no DNS at start-up).
   */
  public static Optional<InetSocketAddress> listenerEndpoint(String host, int port) {
    if (host.equalsIgnoreCase("localhost")) {
      return Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }
    return IpLiteral.parse(host).map(address -> new InetSocketAddress(address, port));
  }

  /**
   * RFC 5321 §5.1: when we are one of the MX hosts, only hosts preferred over us may be used, so the
   * list is cut at the first host that is ourselves. An empty result means the mail would loop.
   */
  public List<MxHost> beforeSelf(List<MxHost> hosts, int port) {
    List<MxHost> kept = new ArrayList<>();
    for (MxHost host : hosts) {
      if (isSelf(host, port)) {
        break;
      }
      kept.add(host);
    }
    return kept;
  }

  boolean isSelf(MxHost host, int port) {
    if (host.name().equalsIgnoreCase(hostname)) {
      return true;
    }
    for (InetAddress address : host.addresses()) {
      if (endpoints.contains(new InetSocketAddress(address, port))) {
        return true;
      }
      if (wildcardPorts.contains(port)
          && (address.isLoopbackAddress() || address.isAnyLocalAddress() || localAddresses.contains(address))) {
        return true;
      }
    }
    return false;
  }

  private static Set<InetAddress> interfaceAddresses() {
    Set<InetAddress> out = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        out.addAll(Collections.list(nic.getInetAddresses()));
      }
    } catch (SocketException e) {
      // No interface list: loopback and explicit listener addresses are still recognised.
    }
    return out;
  }
}
