package io.hermod.server;

import io.hermod.auth.WindowCounter;
import io.hermod.config.Limits;

/**
 * Connections per client address per window (Postfix anvil's smtpd_client_connection_rate_limit): every
 * connection attempt counts, refused ones included, in a fixed window that starts at the address's first
 * connection. Over the limit the connection gets 421 4.7.0 and is closed. Shared by all listener instances.
 * Memory is bounded by {@link #MAX_TRACKED_ADDRESSES}: past it the least recently seen address is forgotten
 * (and starts a fresh window if it comes back).
 */
public final class ConnectionRate {

  /** More addresses than this are not tracked (least recently seen forgotten first): about 15 MiB at most. */
  public static final int MAX_TRACKED_ADDRESSES = 100_000;

  private final int maxPerWindow;
  private final long windowMillis;
  private final WindowCounter counter;

  /** @param maxPerWindow connections allowed per address and window; 0 turns the limit off */
  public ConnectionRate(int maxPerWindow, WindowCounter counter) {
    this(maxPerWindow, -1, counter);
  }

  private ConnectionRate(int maxPerWindow, long windowMillis, WindowCounter counter) {
    this.maxPerWindow = maxPerWindow;
    this.windowMillis = windowMillis;
    this.counter = counter;
  }

  public static ConnectionRate create(Limits limits) {
    long window = limits.connectionRateWindowSeconds() * 1000L;
    return new ConnectionRate(limits.maxConnectionRatePerIp(), window,
        new WindowCounter(window, MAX_TRACKED_ADDRESSES, System::currentTimeMillis));
  }

  /** True when {@code limits} asks for this very rate and window (a reload that leaves it alone). */
  boolean sameAs(Limits limits) {
    return maxPerWindow == limits.maxConnectionRatePerIp()
        && windowMillis == limits.connectionRateWindowSeconds() * 1000L;
  }

  /** Counts a connection from {@code address}; false when it is over the limit (refuse it). */
  public boolean admit(String address) {
    return maxPerWindow <= 0 || counter.increment(address) <= maxPerWindow;
  }
}
