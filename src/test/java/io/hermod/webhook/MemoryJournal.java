package io.hermod.webhook;

import io.hermod.events.EventJournal;
import io.hermod.events.JournalEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test fake of the {@link EventJournal} seam, in memory (the end-to-end tests use the real file journal):
 * appends are "durable" at once and wake the listeners on the appending thread; {@link #dropUpTo} imitates the
 * retention dropping old entries.
 */
final class MemoryJournal implements EventJournal {

  private final List<JournalEntry> entries = new ArrayList<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private long first = 1;
  private long last;

  @Override
  public Future<Long> append(JsonObject event) {
    long seq;
    synchronized (this) {
      seq = ++last;
      entries.add(new JournalEntry(seq, event));
    }
    listeners.forEach(Runnable::run);
    return Future.succeededFuture(seq);
  }

  @Override
  public synchronized Future<List<JournalEntry>> read(long after, int maxEntries, int maxBytes) {
    List<JournalEntry> out = new ArrayList<>();
    int bytes = 0;
    for (JournalEntry e : entries) {
      if (e.seq() <= after) {
        continue;
      }
      int size = e.event().encode().length();
      if (out.size() == maxEntries || (!out.isEmpty() && bytes + size > maxBytes)) {
        break;
      }
      out.add(e);
      bytes += size;
    }
    return Future.succeededFuture(out);
  }

  /** Forgets every entry up to {@code seq}, as the retention would. */
  synchronized void dropUpTo(long seq) {
    entries.removeIf(e -> e.seq() <= seq);
    first = Math.max(first, seq + 1);
  }

  @Override
  public Future<Long> seqBefore(Instant time) {
    return Future.failedFuture("not needed by webhooks");
  }

  @Override
  public synchronized long lastSeq() {
    return last;
  }

  @Override
  public synchronized long firstSeq() {
    return entries.isEmpty() ? last + 1 : first;
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
