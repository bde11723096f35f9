package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

/**
 * The bytes received on a connection and not yet consumed. Consumers read from {@link #position()} to
 * {@link #end()} and {@link #consume} what they used; the buffer compacts itself so memory stays bounded by
 * what is unread (the connection pauses the socket while it is not reading).
 * <p>
 * A byte once appended is never changed: compacting and growing make new arrays and appends only write past
 * the end. So content handed on as a view of {@link #array()} (a spool writer keeps such views of a small
 * message until its commit) stays valid after the bytes are consumed.
 */
public final class InputBuffer {

  private static final Buffer EMPTY = Buffer.buffer(0);
  private static final ArrayView EMPTY_VIEW = ArrayView.of(EMPTY);

  private Buffer buf = EMPTY;
  private int pos;
  private boolean owned; // buf is a copy of ours, not a chunk handed to us: it may grow in place
  private ArrayView view = EMPTY_VIEW;

  public void append(Buffer data) {
    ArrayView heap = pos == buf.length() ? ArrayView.ofHeap(data) : null;
    if (heap != null) {
      // Nothing unread: adopt the chunk instead of copying it (a socket's reads are heap buffers of their own).
      buf = data;
      pos = 0;
      owned = false;
      view = heap;
      return;
    }
    if (pos == 0 && owned) {
      // A line still arriving in small reads: it grows in place (amortised), not copied again at every read.
      buf.appendBuffer(data);
    } else {
      Buffer next = Buffer.buffer(2 * (buf.length() - pos + data.length()));
      next.appendBuffer(buf, pos, buf.length() - pos).appendBuffer(data);
      buf = next;
      pos = 0;
      owned = true;
    }
    view = ArrayView.of(buf);
  }

  /** The array behind {@link #buffer()}: the buffer's byte i is {@code array()[arrayOffset() + i]}. */
  public byte[] array() {
    return view.array();
  }

  public int arrayOffset() {
    return view.offset();
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
      clear();
    }
  }

  /** Drops every unread byte (STARTTLS, RFC 3207 §4.2: nothing sent before the handshake survives it). */
  public void clear() {
    buf = EMPTY;
    pos = 0;
    owned = false;
    view = EMPTY_VIEW;
  }
}
