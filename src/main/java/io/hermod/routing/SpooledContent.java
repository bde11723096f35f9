package io.hermod.routing;

import io.hermod.spool.MessageWriter;
import io.hermod.spool.Spool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;

/**
 * Reads a spooled message with Vert.x's asynchronous file API, in bounded chunks: never the whole message
 * in memory, never a blocking read on the event loop.
 */
final class SpooledContent {

  /** Most bytes of an original header section returned in a DSN (RET=HDRS). */
  static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int CHUNK = 64 * 1024;

  private final Vertx vertx;

  SpooledContent(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * The header section (up to and including the CRLF of its last line), at most {@link #MAX_HEADER_BYTES};
   * a longer one is cut after its last complete line in that range. Null when there is no complete line.
   */
  Future<byte[]> headers(Spool.Content content) {
    int length = (int) Math.min(MAX_HEADER_BYTES, content.length());
    return withFile(content, file -> file.read(Buffer.buffer(length), 0, content.offset(), length))
        .map(SpooledContent::headerSection);
  }

  /** Copies the message into {@code writer}, one chunk at a time, honouring the writer's backpressure. */
  Future<Void> copyTo(Spool.Content content, MessageWriter writer) {
    return withFile(content, file -> copy(file, content.offset(), content.offset() + content.length(), writer));
  }

  private Future<Void> copy(AsyncFile file, long position, long end, MessageWriter writer) {
    if (position >= end) {
      return Future.succeededFuture();
    }
    int n = (int) Math.min(CHUNK, end - position);
    return file.read(Buffer.buffer(n), 0, position, n).compose(chunk -> {
      if (chunk.length() == 0) {
        return Future.failedFuture("spooled message shorter than its envelope says");
      }
      return writer.write(chunk).compose(v -> copy(file, position + chunk.length(), end, writer));
    });
  }

  private <T> Future<T> withFile(Spool.Content content, java.util.function.Function<AsyncFile, Future<T>> use) {
    return vertx.fileSystem().open(content.file().toString(), new OpenOptions().setRead(true).setWrite(false))
        .compose(file -> use.apply(file).eventually(() -> file.close()));
  }

  static byte[] headerSection(Buffer bytes) {
    int lastLineEnd = -1;
    for (int i = 0; i + 1 < bytes.length(); i++) {
      if (bytes.getByte(i) == '\r' && bytes.getByte(i + 1) == '\n') {
        if (i == lastLineEnd) {
          break; // an empty line: the header section ends before it (RFC 5322 §2.1)
        }
        lastLineEnd = i + 2;
      }
    }
    return lastLineEnd < 0 ? null : bytes.getBytes(0, lastLineEnd);
  }
}
