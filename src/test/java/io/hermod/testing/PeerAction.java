package io.hermod.testing;

/** What {@link ScriptedSmtpPeer} does in answer to a command, the greeting or the end of data. */
public final class PeerAction {

  enum Kind { REPLY, SILENCE, DROP }

  final Kind kind;
  final String text;

  private PeerAction(Kind kind, String text) {
    this.kind = kind;
    this.text = text;
  }

  /**
   * Sends {@code reply}; CRLF is added at the end when missing, and a "\n" inside separates the lines of a
   * multi-line reply ("250-first\n250 last").
   */
  public static PeerAction reply(String reply) {
    String wire = reply.replace("\r\n", "\n").replace("\n", "\r\n");
    return new PeerAction(Kind.REPLY, wire.endsWith("\r\n") ? wire : wire + "\r\n");
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
