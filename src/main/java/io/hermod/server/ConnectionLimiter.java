package io.hermod.server;

import io.hermod.config.Limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts concurrent sessions over all listener instances, in total and per client address, and checks the
 * connection rate per address ({@link ConnectionRate}). Shared by the listener verticles (thread-safe); the
 * per-address map holds only addresses with open sessions.
 */
public final class ConnectionLimiter {

  public enum Verdict { ACCEPT, TOO_MANY_TOTAL, TOO_MANY_FROM_ADDRESS, TOO_FAST_FROM_ADDRESS }

  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private volatile int maxTotal;
  private volatile int maxPerAddress;
  private volatile ConnectionRate rate;

  public ConnectionLimiter(int maxTotal, int maxPerAddress, ConnectionRate rate) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
    this.rate = rate;
  }

  /**
   * New caps and connection rate (configuration reload); sessions already open stay open even if they are
   * now above them. A changed rate or window starts counting afresh.
   */
  public void setLimits(Limits limits) {
    this.maxTotal = limits.maxConnections();
    this.maxPerAddress = limits.maxConnectionsPerIp();
    if (!rate.sameAs(limits)) {
      this.rate = ConnectionRate.create(limits);
    }
  }

  /**
   * Takes a slot; on ACCEPT the caller must {@link #release} it when the session ends.
   *
   * @param trusted the address is in trustedNetworks: exempt from the connection rate (not from the caps)
   */
  public Verdict acquire(String address, boolean trusted) {
    if (!trusted && !rate.admit(address)) {
      return Verdict.TOO_FAST_FROM_ADDRESS;
    }
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return Verdict.TOO_MANY_TOTAL;
    }
    AtomicInteger n = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
    if (n.incrementAndGet() > maxPerAddress) {
      release(address);
      return Verdict.TOO_MANY_FROM_ADDRESS;
    }
    return Verdict.ACCEPT;
  }

  public void release(String address) {
    total.decrementAndGet();
    perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  public int open() {
    return total.get();
  }
}
