package io.hermod.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake {@link EventJournal} for the feed's protocol tests (a seam): entries in memory, the time of each append
 * given by the test, {@link #dropUpTo} standing in for retention. The end-to-end tests use the real journal.
 */
final class MemoryJournal implements EventJournal {

  private record Stored(long seq, Instant at, JsonObject event) {
  }

  private final List<Stored> entries = new ArrayList<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private long last;

  synchronized long append(JsonObject event, Instant at) {
    entries.add(new Stored(++last, at, event.copy()));
    long seq = last;
    listeners.forEach(Runnable::run);
    return seq;
  }

  @Override
  public Future<Long> append(JsonObject event) {
    return Future.succeededFuture(append(event, Instant.now()));
  }

  synchronized void dropUpTo(long seq) {
    entries.removeIf(e -> e.seq() <= seq);
  }

  @Override
  public synchronized Future<List<JournalEntry>> read(long after, int maxEntries, int maxBytes) {
    List<JournalEntry> out = new ArrayList<>();
    int bytes = 0;
    for (Stored s : entries) {
      if (s.seq() > after && out.size() < maxEntries && (out.isEmpty() || bytes < maxBytes)) {
        out.add(new JournalEntry(s.seq(), s.event().copy()));
        bytes += s.event().encode().length();
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Long> seqBefore(Instant time) {
    long seq = 0;
    for (Stored s : entries) {
      if (s.at().isBefore(time)) {
        seq = s.seq();
      }
    }
    return Future.succeededFuture(seq);
  }

  @Override
  public synchronized long lastSeq() {
    return last;
  }

  @Override
  public synchronized long firstSeq() {
    return entries.isEmpty() ? last + 1 : entries.get(0).seq();
  }

  @Override
  public void onAppend(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
