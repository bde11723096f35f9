package io.hermod.spool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes one message. Its first {@value #JOURNAL_LIMIT} bytes stay in memory: a message that fits is
 * committed as one journal record (no file of its own). Until then the writer keeps views of the bytes
 * given to {@link #writeImmutable} (the session's input, which never changes) and copies only other and small
 * writes, into chunks that start small and double (none is ever copied into a bigger one): the journal
 * record's encoding is then the one copy of a small message's content. A bigger one streams into
 * {@code incoming/<id>.msg}: bytes are copied into 64 KiB chunks; full chunks become I/O steps that run one
 * at a time, in order, on the spool's I/O threads. {@link #write} holds the caller
 * back while more than {@value #MAX_STEPS_IN_FLIGHT} steps are queued, so memory per message stays at a few
 * chunks however fast the client sends. All fields except {@link #file} are used only on the session's
 * context; {@link #file} only inside I/O steps, which never overlap.
 */
final class SpoolWriter implements MessageWriter {

  static final int CHUNK_SIZE = 64 * 1024;
  /** Messages up to this size go to the journal; they are held in memory until the commit. */
  static final int JOURNAL_LIMIT = 256 * 1024;
  /** The first chunk of a message is this small, each next one twice the last, so small mail takes little. */
  private static final int FIRST_CHUNK = 2 * 1024;
  /**
   * Shorter immutable writes are copied rather than kept as views: a dot-stuffed message arrives as one run per
   * line, and thousands of tiny views would cost more than the bytes.
   */
  static final int MIN_VIEW = 512;
  static final int MAX_STEPS_IN_FLIGHT = 2;

  private static final Logger LOG = Logger.getLogger("io.hermod.spool");

  private enum State { OPEN, COMMITTING, COMMITTED, FAILED, ABORTED }

  @FunctionalInterface
  private interface IoStep {
    void run() throws IOException;
  }

  private record Step(IoStep action, Promise<Void> done) {
  }

  private final SpoolFiles files;
  private final SpoolIo io;
  private final GroupCommitter committer;
  private final BooleanSupplier spoolClosed;
  private final LongConsumer onCommitted;
  private final Context context;
  private final String id;
  /** Where a message too big for the journal goes: its paths are made only for such a message (issue #17). */
  private final SpoolDirs dirs;

  private final ArrayDeque<Step> steps = new ArrayDeque<>();
  private boolean stepRunning;
  private byte[] chunk;
  private int chunkStart; // chunk[0, chunkStart) was handed on already (to held or a write step)
  private int used;
  private int nextChunk = FIRST_CHUNK;
  /** The bytes kept in memory (views and chunk parts) while the message may still go to the journal; null once it spilled. */
  private List<ByteBuffer> held = new ArrayList<>();
  private long size;
  private State state = State.OPEN;
  private SpoolException failure;
  private Promise<Void> writable;

  private SpoolFiles.OpenFile file;

  SpoolWriter(SpoolFiles files, SpoolIo io, GroupCommitter committer, SpoolDirs dirs, BooleanSupplier spoolClosed,
              LongConsumer onCommitted, Context context, String id) {
    this.files = files;
    this.io = io;
    this.committer = committer;
    this.spoolClosed = spoolClosed;
    this.onCommitted = onCommitted;
    this.context = context;
    this.id = id;
    this.dirs = dirs;
  }

  private Path messageFile() {
    return dirs.incomingMessage(id);
  }

  private Path envelopeFile() {
    return dirs.incomingEnvelope(id, "new");
  }

  @Override
  public Future<Void> write(Buffer data) {
    return take(data, null, 0, data.length());
  }

  @Override
  public Future<Void> writeImmutable(byte[] bytes, int from, int to) {
    return take(null, bytes, from, to);
  }

  /** Takes {@code data} or {@code array} (the other is null), from {@code from} to {@code to}. */
  private Future<Void> take(Buffer data, byte[] array, int from, int to) {
    Future<Void> refused = refusal();
    if (refused != null) {
      return refused;
    }
    int length = to - from;
    if (held != null && size + length > JOURNAL_LIMIT) {
      spill();
    }
    if (held != null && array != null && length >= MIN_VIEW) {
      flushChunk(); // what was copied before comes first
      held.add(ByteBuffer.wrap(array, from, length));
    } else {
      copy(data, array, from, to);
    }
    size += length;
    if (stepsInFlight() <= MAX_STEPS_IN_FLIGHT) {
      return Future.succeededFuture();
    }
    if (writable == null) {
      writable = Promise.promise();
    }
    return writable.future();
  }

  private void copy(Buffer data, byte[] array, int from, int to) {
    int pos = from;
    while (pos < to) {
      makeRoom(to - pos);
      int n = Math.min(chunk.length - used, to - pos);
      if (array != null) {
        System.arraycopy(array, pos, chunk, used, n);
      } else {
        data.getBytes(pos, pos + n, chunk, used);
      }
      used += n;
      pos += n;
      if (used == chunk.length) {
        flushChunk();
      }
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Future<Envelope> commit(Envelope envelope) {
    if (failure != null && state != State.ABORTED) {
      // A chunk write already failed: answer once its partial file is gone.
      return enqueueCleanup().transform(v -> Future.failedFuture(failure));
    }
    Future<Void> refused = refusal();
    if (refused != null) {
      return refused.map(v -> envelope);
    }
    if (!id.equals(envelope.id())) {
      return Future.failedFuture(new IllegalArgumentException("envelope " + envelope.id() + " committed to writer " + id));
    }
    state = State.COMMITTING;
    Envelope stored = envelope.withSize(size);
    flushChunk();
    Future<?> durable;
    if (held != null) {
      Promise<Boolean> appended = Promise.promise();
      committer.submit(new GroupCommitter.JournalAppend(JournalRecord.message(stored, held), context, appended));
      held = null;
      durable = appended.future();
    } else {
      durable = enqueue(() -> seal(stored)).compose(v -> {
        Promise<Void> published = Promise.promise();
        committer.submit(new GroupCommitter.FilePublication(id, messageFile(), envelopeFile(), stored, context, published));
        return published.future();
      });
    }
    return durable
        .transform(ar -> {
          if (ar.succeeded()) {
            state = State.COMMITTED;
            onCommitted.accept(stored.size());
            return Future.succeededFuture(stored);
          }
          state = State.FAILED;
          SpoolException error = SpoolErrors.map("committing " + id, ar.cause());
          return enqueueCleanup().transform(v -> Future.failedFuture(error));
        });
  }

  @Override
  public void abort() {
    if (state == State.OPEN || state == State.FAILED) {
      state = State.ABORTED;
      chunk = null;
      used = 0;
      chunkStart = 0;
      held = null;
      if (writable != null) {
        Promise<Void> waiting = writable;
        writable = null;
        waiting.tryFail(new IllegalStateException("message " + id + " aborted"));
      }
      enqueueCleanup();
    }
  }

  /** Why this writer cannot take the call now, or null if it can. */
  private <T> Future<T> refusal() {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (state != State.OPEN) {
      return Future.failedFuture(new IllegalStateException("message " + id + " is " + state));
    }
    if (spoolClosed.getAsBoolean()) {
      return Future.failedFuture(SpoolErrors.closed());
    }
    return null;
  }

  /**
   * Makes sure there is a {@link #chunk} with room (a full one was handed on): while the message may go to the
   * journal each is twice the size of the last, up to {@value #CHUNK_SIZE}; after that {@value #CHUNK_SIZE}.
   */
  private void makeRoom(int wanted) {
    if (chunk == null) {
      int length = held == null ? CHUNK_SIZE : Math.min(CHUNK_SIZE, Math.max(nextChunk, wanted));
      chunk = new byte[length];
      nextChunk = Math.min(CHUNK_SIZE, length * 2);
    }
  }

  /** The message is too big for the journal: from now on its bytes go to its own file (in one I/O step first). */
  private void spill() {
    List<ByteBuffer> earlier = held;
    held = null;
    if (!earlier.isEmpty()) {
      enqueue(() -> {
        openIfNeeded();
        for (ByteBuffer bytes : earlier) {
          files.write(file, bytes);
        }
      });
    }
  }

  /** Hands on the chunk's bytes not handed on yet; the rest of a chunk that is not full is used on. */
  private void flushChunk() {
    if (used == chunkStart) {
      return;
    }
    ByteBuffer bytes = ByteBuffer.wrap(chunk, chunkStart, used - chunkStart);
    if (used == chunk.length) {
      chunk = null;
      used = 0;
      chunkStart = 0;
    } else {
      chunkStart = used; // later bytes go after these: the view handed on never changes
    }
    if (held != null) {
      held.add(bytes);
    } else {
      enqueueWrite(bytes);
    }
  }

  private void enqueueWrite(ByteBuffer bytes) {
    enqueue(() -> {
      openIfNeeded();
      files.write(file, bytes);
    });
  }

  /** Makes the message bytes and the final envelope durable in incoming/ (renamed by the committer). */
  private void seal(Envelope stored) throws IOException {
    openIfNeeded();
    files.force(file);
    files.close(file);
    file = null;
    EnvelopeFile.write(files, envelopeFile(), stored);
  }

  private void openIfNeeded() throws IOException {
    if (file == null) {
      file = files.create(messageFile());
    }
  }

  private Future<Void> enqueue(IoStep action) {
    Promise<Void> done = Promise.promise();
    steps.add(new Step(action, done));
    runNextStep();
    return done.future();
  }

  private void runNextStep() {
    if (stepRunning || steps.isEmpty()) {
      return;
    }
    Step step = steps.poll();
    stepRunning = true;
    io.run(context, () -> {
      step.action().run();
      return null;
    }).onComplete(ar -> {
      stepRunning = false;
      if (ar.succeeded()) {
        step.done().complete();
      } else {
        onStepFailed(step, ar.cause());
      }
      releaseWriter();
      runNextStep();
    });
  }

  /** Steps queued or running: what backpressure counts. */
  private int stepsInFlight() {
    return steps.size() + (stepRunning ? 1 : 0);
  }

  private void onStepFailed(Step step, Throwable cause) {
    boolean firstFailure = failure == null;
    failure = SpoolErrors.map("writing message " + id, cause);
    if (state == State.OPEN) {
      state = State.FAILED;
    }
    // Later chunks are pointless once one is lost; the partial files go (no half message, ever).
    List<Step> skipped = new ArrayList<>(steps);
    steps.clear();
    if (firstFailure) {
      // Only once: a cleanup that cannot even be scheduled must not schedule itself again.
      enqueueCleanup();
    }
    // Last, because failing a promise runs its handlers now, and they may queue steps of their own.
    step.done().fail(failure);
    skipped.forEach(s -> s.done().fail(failure));
  }

  private void releaseWriter() {
    if (writable != null && (failure != null || stepsInFlight() <= MAX_STEPS_IN_FLIGHT)) {
      Promise<Void> waiting = writable;
      writable = null;
      if (failure != null) {
        waiting.fail(failure);
      } else {
        waiting.complete();
      }
    }
  }

  /** Closes and deletes this message's incoming files; never fails (so it cannot loop on itself). */
  private Future<Void> enqueueCleanup() {
    return enqueue(() -> {
      try {
        if (file != null) {
          files.close(file);
          file = null;
        }
        files.delete(messageFile());
        files.delete(envelopeFile());
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "spool: could not clean up " + messageFile(), e);
      }
    });
  }
}
