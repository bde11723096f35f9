package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

/**
 * The bytes received on a connection and not yet consumed. Consumers read from {@link #position()} to
 * {@link #end()} and {@link #consume} what they used; the buffer compacts itself so memory stays bounded by
 * what is unread (the connection pauses the socket while it is not reading).
 */
public final class InputBuffer {

  private Buffer buf = Buffer.buffer(0);
  private int pos;
  private boolean owned; // buf is a copy of ours, not a chunk handed to us: it may grow in place

  public void append(Buffer data) {
    if (pos == buf.length()) {
      // Nothing unread: adopt the chunk instead of copying it.
      buf = data;
      pos = 0;
      owned = false;
    } else if (pos == 0 && owned) {
      // A line still arriving in small reads: it grows in place (amortised), not copied again at every read.
      buf.appendBuffer(data);
    } else {
      Buffer next = Buffer.buffer(2 * (buf.length() - pos + data.length()));
      next.appendBuffer(buf, pos, buf.length() - pos).appendBuffer(data);
      buf = next;
      pos = 0;
      owned = true;
    }
  }

  public Buffer buffer() {
    return buf;
  }

  public int position() {
    return pos;
  }

  public int end() {
    return buf.length();
  }

  public int available() {
    return buf.length() - pos;
  }

  public byte get(int index) {
    return buf.getByte(index);
  }

  /** Marks everything before {@code newPosition} as consumed. */
  public void consumeTo(int newPosition) {
    if (newPosition < pos || newPosition > buf.length()) {
      throw new IllegalArgumentException("bad position " + newPosition);
    }
    pos = newPosition;
    if (pos == buf.length()) {
      buf = Buffer.buffer(0);
      pos = 0;
    }
  }

  /** Drops every unread byte (STARTTLS, RFC 3207 §4.2: nothing sent before the handshake survives it). */
  public void clear() {
    buf = Buffer.buffer(0);
    pos = 0;
  }
}
