package io.hermod.spool;

import io.hermod.config.SpoolConfig;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Real files, except that one chosen step throws the error a full or failing disk would give. Public so that
 * tests outside this package can run a whole Hermod on a {@link FileSpool} whose disk fails ({@link #spool}):
 * the spool's own error path then does the cleanup under test.
 */
public final class FaultyFiles implements SpoolFiles {

  public enum Op { CREATE, WRITE, FORCE, MOVE, FORCE_DIRECTORY, DELETE }

  private final SpoolFiles real = new RealSpoolFiles();
  private volatile java.util.Set<Op> failOps = java.util.Set.of();
  private volatile Predicate<Path> failPath = p -> false;
  private volatile Supplier<IOException> error;

  /** From now on, {@code op} on a path matching {@code path} throws the error {@code error} makes. */
  public void failAt(Op op, Predicate<Path> path, Supplier<IOException> error) {
    failAt(java.util.Set.of(op), path, error);
  }

  /** From now on each of {@code ops} on a path matching {@code path} throws (several faults at once). */
  public void failAt(java.util.Set<Op> ops, Predicate<Path> path, Supplier<IOException> error) {
    this.failPath = path;
    this.error = error;
    this.failOps = ops;
  }

  /** From now on nothing fails. */
  public void heal() {
    failPath = p -> false;
  }

  /** A real FileSpool on these files. */
  public FileSpool spool(Vertx vertx, SpoolConfig config) {
    return new FileSpool(vertx, config, this, new QueueIds());
  }

  /** What FileChannel.write throws on ENOSPC. */
  public static IOException noSpace() {
    return new IOException("No space left on device");
  }

  /** What a failing disk gives (EIO). */
  public static IOException ioError() {
    return new IOException("Input/output error");
  }

  private volatile Op pauseOp;
  private volatile java.util.concurrent.CountDownLatch paused;
  private volatile java.util.concurrent.CountDownLatch resume;

  /**
   * The next {@code op} (on any path) waits until {@code resume} opens, a slow disk for one call; the returned
   * latch opens when that call has started waiting.
   */
  public java.util.concurrent.CountDownLatch pauseNext(Op op, java.util.concurrent.CountDownLatch resume) {
    this.paused = new java.util.concurrent.CountDownLatch(1);
    this.resume = resume;
    this.pauseOp = op;
    return paused;
  }

  private void maybeFail(Op op, Path path) throws IOException {
    if (op == pauseOp) {
      pauseOp = null;
      paused.countDown();
      try {
        resume.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while paused");
      }
    }
    if (failOps.contains(op) && failPath.test(path)) {
      throw error.get();
    }
  }

  @Override
  public OpenFile create(Path file) throws IOException {
    maybeFail(Op.CREATE, file);
    return real.create(file);
  }

  @Override
  public void write(OpenFile file, ByteBuffer data) throws IOException {
    maybeFail(Op.WRITE, file.path());
    real.write(file, data);
  }

  private final java.util.concurrent.atomic.AtomicInteger forces = new java.util.concurrent.atomic.AtomicInteger();

  /** How many file fsyncs (not directory ones) were made so far. */
  public int forces() {
    return forces.get();
  }

  @Override
  public void force(OpenFile file) throws IOException {
    maybeFail(Op.FORCE, file.path());
    real.force(file);
    forces.incrementAndGet();
  }

  @Override
  public void close(OpenFile file) throws IOException {
    real.close(file);
  }

  @Override
  public void truncate(OpenFile file, long size) throws IOException {
    real.truncate(file, size);
  }

  @Override
  public void forceDirectory(Path dir) throws IOException {
    maybeFail(Op.FORCE_DIRECTORY, dir);
    real.forceDirectory(dir);
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    maybeFail(Op.MOVE, from);
    real.move(from, to);
  }

  @Override
  public boolean delete(Path file) throws IOException {
    maybeFail(Op.DELETE, file);
    return real.delete(file);
  }

  @Override
  public boolean exists(Path file) {
    return real.exists(file);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    return real.list(dir);
  }

  @Override
  public byte[] read(Path file) throws IOException {
    return real.read(file);
  }

  @Override
  public byte[] read(Path file, long offset, int length) throws IOException {
    return real.read(file, offset, length);
  }

  @Override
  public long size(Path file) throws IOException {
    return real.size(file);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    real.createDirectories(dir);
  }

  @Override
  public long usableSpace(Path dir) throws IOException {
    return real.usableSpace(dir);
  }
}
