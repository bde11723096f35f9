package io.hermod.events;

import io.vertx.core.Future;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A fake {@link CursorStore} for the feed's protocol tests (a seam); commits never move a cursor back. */
final class MemoryCursors implements CursorStore {

  private final Map<String, Long> positions = new ConcurrentHashMap<>();
  private volatile boolean failCommits;

  /** true: every commit fails, as a cursor store whose disk refuses writes. */
  void failCommits(boolean fail) {
    failCommits = fail;
  }

  @Override
  public Future<Optional<Long>> position(String name) {
    return Future.succeededFuture(Optional.ofNullable(positions.get(name)));
  }

  @Override
  public Future<Void> commit(String name, long seq) {
    if (failCommits) {
      return Future.failedFuture(new java.io.IOException("commit refused (test)"));
    }
    positions.merge(name, seq, Math::max);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(String name) {
    positions.remove(name);
    return Future.succeededFuture();
  }

  @Override
  public Map<String, Long> snapshot() {
    return Map.copyOf(positions);
  }
}
