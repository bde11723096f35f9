package io.hermod.spool;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Streams one incoming message to disk. Not thread-safe: one session writes, on its own context.
 * Memory is bounded: the writer buffers at most a small chunk before handing it to an I/O thread.
 */
public interface MessageWriter {

  /**
   * Appends bytes. Returns a future that completes when the writer can take more; the caller pauses its
   * input until then (TCP backpressure). The future fails if the disk write failed; the message is then
   * aborted and the client gets a 451/452.
   */
  Future<Void> write(Buffer data);

  /**
   * As {@link #write(Buffer)}, for bytes that the caller never changes afterwards: the writer may keep a view
   * of {@code bytes[from, to)} instead of a copy (the spool keeps a small message's content so until it
   * copies it once into its journal record).
   *
   * <p>The listener waits only for the last incomplete write of a read (MessageReceiver): a writer must fail
   * that one too when an earlier write of the message failed (SpoolWriter returns one promise for all writes
   * waiting on backpressure, failed by any failed step).
   */
  default Future<Void> writeImmutable(byte[] bytes, int from, int to) {
    return write(Buffer.buffer().appendBytes(bytes, from, to - from));
  }

  /** Bytes written so far. */
  long size();

  /**
   * Makes the message durable with the given final envelope (its size is set by the spool) and publishes
   * it. Succeeds only once it is on disk; fails with {@link SpoolException} otherwise, leaving nothing.
   */
  Future<Envelope> commit(Envelope envelope);

  /** Discards the message (client aborted, size exceeded, rejected). Idempotent. */
  void abort();
}
