package io.hermod.testing;

import java.util.ArrayList;
import java.util.List;

/** What {@link ScriptedSmtpPeer} saw on one connection; safe to read from the test thread. */
public final class PeerSession {

  private final List<String> commands = new ArrayList<>();
  private final List<List<String>> batches = new ArrayList<>();
  private final List<String> transcript = new ArrayList<>();
  private volatile boolean tls;
  private volatile boolean closed;
  private final long openedAt = System.nanoTime();

  /** When the peer accepted this connection (System.nanoTime()): orders sessions across peers. */
  public long openedAtNanos() {
    return openedAt;
  }
  private volatile String remoteAddress;

  /** Every command line in order (without CRLF), including those sent before STARTTLS. */
  public synchronized List<String> commands() {
    return List.copyOf(commands);
  }

  /**
   * Commands grouped by the network read that completed them: a pipelining client's MAIL, RCPTs and DATA
   * arrive as one group, a non-pipelining client's one per group.
   */
  public synchronized List<List<String>> commandBatches() {
    return batches.stream().map(List::copyOf).toList();
  }

  /**
   * What went each way, in order: "C: " and a command line or "." (an end of data), "S: " and the first line of a
   * reply as it was written. A client that pipelines its next envelope with the end of data shows its MAIL before
   * the reply to the "." when that reply is delayed.
   */
  public synchronized List<String> transcript() {
    return List.copyOf(transcript);
  }

  synchronized void client(String line) {
    transcript.add("C: " + line);
  }

  synchronized void server(String reply) {
    int end = reply.indexOf('\n');
    transcript.add("S: " + (end < 0 ? reply : reply.substring(0, end)).strip());
  }

  /** The client's IP address as this peer saw it (an egress source's address, or the system's choice). */
  public String remoteAddress() {
    return remoteAddress;
  }

  /** The name the client gave in its first EHLO or HELO, or null. */
  public String heloName() {
    for (String c : commands()) {
      String verb = c.length() >= 5 ? c.substring(0, 5).toUpperCase(java.util.Locale.ROOT) : "";
      if (verb.equals("EHLO ") || verb.equals("HELO ")) {
        return c.substring(5).trim();
      }
    }
    return null;
  }

  void remoteAddress(String address) {
    remoteAddress = address;
  }

  /** True once STARTTLS succeeded on this connection. */
  public boolean tls() {
    return tls;
  }

  public boolean closed() {
    return closed;
  }

  synchronized void record(String command, boolean startsBatch) {
    commands.add(command);
    client(command);
    if (startsBatch || batches.isEmpty()) {
      batches.add(new ArrayList<>());
    }
    batches.get(batches.size() - 1).add(command);
  }

  void markTls() {
    tls = true;
  }

  void markClosed() {
    closed = true;
  }

  private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

  /** True the first time: the session stops counting as open (when the peer ends it, or the socket closes). */
  boolean end() {
    return ended.compareAndSet(false, true);
  }
}
