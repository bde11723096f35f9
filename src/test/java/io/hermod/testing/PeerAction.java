package io.hermod.testing;

/** What {@link ScriptedSmtpPeer} does in answer to a command, the greeting or the end of data. */
public final class PeerAction {

  enum Kind { REPLY, SILENCE, DROP }

  final Kind kind;
  final String text;
  final long delayMillis; // a REPLY sent this long after the command (or the end of data) arrived

  private PeerAction(Kind kind, String text) {
    this(kind, text, 0);
  }

  private PeerAction(Kind kind, String text, long delayMillis) {
    this.kind = kind;
    this.text = text;
    this.delayMillis = delayMillis;
  }

  /**
   * Sends {@code reply}; CRLF is added at the end when missing, and a "\n" inside separates the lines of a
   * multi-line reply ("250-first\n250 last").
   */
  public static PeerAction reply(String reply) {
    String wire = reply.replace("\r\n", "\n").replace("\n", "\r\n");
    return new PeerAction(Kind.REPLY, wire.endsWith("\r\n") ? wire : wire + "\r\n");
  }

  /** As {@link #reply(String)}, sent {@code millis} later: a slow server (a timer, the peer's other sessions go on). */
  public static PeerAction replyAfter(long millis, String reply) {
    return new PeerAction(Kind.REPLY, reply(reply).text, millis);
  }

  /** Never answers (the client's timeout must fire). */
  public static PeerAction silence() {
    return new PeerAction(Kind.SILENCE, null);
  }

  /** Closes the connection without a word. */
  public static PeerAction drop() {
    return new PeerAction(Kind.DROP, null);
  }

  @Override
  public String toString() {
    return kind == Kind.REPLY ? text.strip() : kind.name();
  }
}
