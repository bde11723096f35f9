package io.hermod.delivery;

import io.hermod.spool.FileRanges;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The message bytes of a transaction, produced as a stream of chunks. The consumer returns a future per
 * chunk and the source reads the next chunk only once it completes: that is how the socket's write queue
 * (drain) throttles reading from the spool.
 */
public interface ContentSource {

  int CHUNK_SIZE = 64 * 1024;

  /** Exact number of bytes {@link #stream} produces (BDAT announces it). */
  long length();

  /** Streams every byte to {@code chunkConsumer}, in order; fails if the consumer or the reading fails. */
  Future<Void> stream(Vertx vertx, Function<Buffer, Future<Void>> chunkConsumer);

  static ContentSource ofBuffer(Buffer buffer) {
    return new BufferSource(buffer);
  }

  /** {@code length} bytes of a file from {@code offset} (e.g. the body part of a spool file). */
  static ContentSource ofFile(Path file, long offset, long length) {
    return new FileSource(file, offset, length);
  }

  /**
   * A spooled message: from {@code recent}'s copy in memory when it holds the message (one just accepted, issue
   * #17), else {@code length} bytes of {@code file} from {@code offset}. {@code recent} may be null. The file's
   * Path is made only when it is read.
   */
  static ContentSource ofSpool(io.hermod.spool.RecentContent recent, String queueId, String file, long offset,
                               long length) {
    byte[] held = recent == null ? null : recent.bytes(queueId, length);
    return held != null ? ofBuffer(Buffer.buffer(held)) : ofFile(Path.of(file), offset, length);
  }

  /** {@code first}'s bytes, then {@code second}'s (prepended header fields, then the spooled message). */
  static ContentSource concat(ContentSource first, ContentSource second) {
    return new ContentSource() {
      @Override
      public long length() {
        return first.length() + second.length();
      }

      @Override
      public Future<Void> stream(Vertx vertx, Function<Buffer, Future<Void>> chunkConsumer) {
        return first.stream(vertx, chunkConsumer).compose(v -> second.stream(vertx, chunkConsumer));
      }
    };
  }

  /** A message held in memory (tests, small generated messages such as DSNs). */
  final class BufferSource implements ContentSource {
    private final Buffer buffer;

    BufferSource(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public long length() {
      return buffer.length();
    }

    @Override
    public Future<Void> stream(Vertx vertx, Function<Buffer, Future<Void>> chunkConsumer) {
      Promise<Void> done = Promise.promise();
      pump(0, chunkConsumer, done);
      return done.future();
    }

    // A loop rather than recursion while chunks complete at once, so the stack stays flat for big buffers.
    private void pump(int from, Function<Buffer, Future<Void>> consumer, Promise<Void> done) {
      int pos = from;
      while (pos < buffer.length()) {
        int end = Math.min(buffer.length(), pos + CHUNK_SIZE);
        Future<Void> written = consumer.apply(buffer.slice(pos, end));
        pos = end;
        if (!written.isComplete()) {
          int next = pos;
          written.onComplete(ar -> {
            if (ar.succeeded()) {
              pump(next, consumer, done);
            } else {
              done.tryFail(ar.cause());
            }
          });
          return;
        }
        if (written.failed()) {
          done.tryFail(written.cause());
          return;
        }
      }
      done.tryComplete();
    }
  }

  /**
   * A region of a file, read off the event loop: a region of at most one chunk (a 1 KiB message in a journal
   * segment) in one blocking read on a worker thread, a larger one with Vert.x {@link AsyncFile} positional reads.
   */
  final class FileSource implements ContentSource {
    private final Path file;
    private final long offset;
    private final long length;

    FileSource(Path file, long offset, long length) {
      if (offset < 0 || length < 0) {
        throw new IllegalArgumentException("negative offset or length");
      }
      this.file = file;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public Future<Void> stream(Vertx vertx, Function<Buffer, Future<Void>> chunkConsumer) {
      if (length <= CHUNK_SIZE) {
        // One chunk: open, read and close in one trip to a worker thread rather than three (issue #17).
        return vertx.executeBlocking(this::readWhole, false)
            .compose(chunk -> chunk.length() == 0 ? Future.succeededFuture() : chunkConsumer.apply(chunk));
      }
      return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
          .compose(f -> readFrom(f, 0, chunkConsumer)
              .eventually(f::close));
    }

    /** All {@code length} bytes (at most one chunk), on a worker thread. */
    private Buffer readWhole() throws IOException {
      return Buffer.buffer(FileRanges.read(file, offset, (int) length));
    }

    private Future<Void> readFrom(AsyncFile f, long done, Function<Buffer, Future<Void>> consumer) {
      if (done >= length) {
        return Future.succeededFuture();
      }
      int want = (int) Math.min(CHUNK_SIZE, length - done);
      return f.read(Buffer.buffer(want), 0, offset + done, want).compose(chunk -> {
        if (chunk.length() == 0) {
          return Future.failedFuture(new EOFException(file + " ends before " + (offset + length)));
        }
        return consumer.apply(chunk).compose(v -> readFrom(f, done + chunk.length(), consumer));
      });
    }
  }
}
