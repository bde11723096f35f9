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
 * Streams one message into {@code incoming/<id>.msg}. Bytes collect in a 64 KiB chunk; full chunks become
 * I/O steps that run one at a time, in order, on the spool's I/O threads. {@link #write} holds the caller
 * back while more than {@value #MAX_STEPS_IN_FLIGHT} steps are queued, so memory per message stays at a few
 * chunks however fast the client sends. All fields except {@link #file} are used only on the session's
 * context; {@link #file} only inside I/O steps, which never overlap.
 */
final class SpoolWriter implements MessageWriter {

  static final int CHUNK_SIZE = 64 * 1024;
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
  private final Path messageFile;
  private final Path envelopeFile;

  private final ArrayDeque<Step> steps = new ArrayDeque<>();
  private boolean stepRunning;
  private byte[] chunk;
  private int used;
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
    this.messageFile = dirs.incomingMessage(id);
    this.envelopeFile = dirs.incomingEnvelope(id, "new");
  }

  @Override
  public Future<Void> write(Buffer data) {
    Future<Void> refused = refusal();
    if (refused != null) {
      return refused;
    }
    int length = data.length();
    int pos = 0;
    while (pos < length) {
      if (chunk == null) {
        chunk = new byte[CHUNK_SIZE];
      }
      int n = Math.min(CHUNK_SIZE - used, length - pos);
      data.getBytes(pos, pos + n, chunk, used);
      used += n;
      pos += n;
      if (used == CHUNK_SIZE) {
        flushChunk();
      }
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
    return enqueue(() -> seal(stored))
        .compose(v -> {
          Promise<Void> published = Promise.promise();
          committer.submit(new GroupCommitter.Publication(id, messageFile, envelopeFile, context, published));
          return published.future();
        })
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

  private void flushChunk() {
    if (used == 0) {
      return;
    }
    ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, used);
    chunk = null;
    used = 0;
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
    EnvelopeFile.write(files, envelopeFile, stored);
  }

  private void openIfNeeded() throws IOException {
    if (file == null) {
      file = files.create(messageFile);
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
        files.delete(messageFile);
        files.delete(envelopeFile);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "spool: could not clean up " + messageFile, e);
      }
    });
  }
}
