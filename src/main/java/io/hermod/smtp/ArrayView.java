package io.hermod.smtp;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The heap array behind a Vert.x {@link Buffer}: {@code array[offset + i]} is the buffer's byte {@code i}.
 * Hot loops read the array directly; {@code Buffer.getByte} checks its bounds on every byte (11 % of all
 * CPU samples in issue #17's profile). In Vert.x 5.0.7 a NetSocket hands us heap buffers (its
 * {@code safeBuffer} copies Netty's pooled direct ones); anything else (a direct or composite buffer) is
 * copied once into a new array.
 *
 * @param array  the bytes; never changed through this view
 * @param offset where the buffer's byte 0 is in {@code array}
 * @param length the buffer's length
 */
public record ArrayView(byte[] array, int offset, int length) {

  public static ArrayView of(Buffer buffer) {
    ArrayView heap = ofHeap(buffer);
    return heap != null ? heap : new ArrayView(buffer.getBytes(), 0, buffer.length());
  }

  /** The view of a heap buffer's own array, or null when that would take a copy. */
  public static ArrayView ofHeap(Buffer buffer) {
    if (buffer instanceof BufferInternal internal) {
      ByteBuf bytes = internal.getByteBuf(); // a view (a slice) of the readable bytes, not a copy
      // Buffer indexes are the ByteBuf's from 0: the view lines up when nothing was read from it.
      if (bytes.hasArray() && bytes.readableBytes() == buffer.length()) {
        return new ArrayView(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), buffer.length());
      }
    }
    return null;
  }
}
