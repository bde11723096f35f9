package io.hermod.api;

import io.hermod.spool.Envelope;
import io.hermod.spool.MessageWriter;
import io.hermod.spool.Spool;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real spool with two switches for tests: report "over high water" on demand, and hold commits until the
 * test releases them (so a test can observe what happens while a commit is pending).
 */
final class HoldingSpool implements Spool {

  private final Spool real;
  private final Semaphore commitsArrived = new Semaphore(0);
  private final List<Runnable> held = new ArrayList<>();
  private volatile boolean overHighWater;
  private volatile boolean holdCommits;

  HoldingSpool(Spool real) {
    this.real = real;
  }

  void overHighWater(boolean over) {
    overHighWater = over;
  }

  void holdCommits() {
    holdCommits = true;
  }

  /** Blocks the test thread until {@code n} commits are being held. */
  void awaitHeldCommits(int n) throws InterruptedException {
    if (!commitsArrived.tryAcquire(n, 20, TimeUnit.SECONDS)) {
      throw new AssertionError("fewer than " + n + " commits arrived");
    }
  }

  /** Lets every held commit (and later ones) go through to the real spool. */
  synchronized void releaseCommits() {
    holdCommits = false;
    held.forEach(Runnable::run);
    held.clear();
  }

  private synchronized Future<Envelope> commitLater(MessageWriter writer, Envelope envelope) {
    Context context = Vertx.currentContext();
    Promise<Void> release = Promise.promise();
    held.add(() -> context.runOnContext(v -> release.complete()));
    commitsArrived.release();
    return release.future().compose(v -> writer.commit(envelope));
  }

  @Override
  public MessageWriter begin(Envelope envelope) {
    MessageWriter writer = real.begin(envelope);
    return new MessageWriter() {
      @Override
      public Future<Void> write(Buffer data) {
        return writer.write(data);
      }

      @Override
      public long size() {
        return writer.size();
      }

      @Override
      public Future<Envelope> commit(Envelope env) {
        return holdCommits ? commitLater(writer, env) : writer.commit(env);
      }

      @Override
      public void abort() {
        writer.abort();
      }
    };
  }

  @Override
  public boolean overHighWater() {
    return overHighWater || real.overHighWater();
  }

  @Override
  public Future<List<Envelope>> recover() {
    return real.recover();
  }

  @Override
  public String newId() {
    return real.newId();
  }

  @Override
  public Future<Void> update(Envelope envelope) {
    return real.update(envelope);
  }

  @Override
  public Future<Envelope> load(String id) {
    return real.load(id);
  }

  @Override
  public Future<Content> content(String id) {
    return real.content(id);
  }

  @Override
  public Future<Void> remove(String id) {
    return real.remove(id);
  }

  @Override
  public Future<List<String>> list() {
    return real.list();
  }

  @Override
  public Usage usage() {
    return real.usage();
  }

  @Override
  public Future<Void> close() {
    return real.close();
  }
}
