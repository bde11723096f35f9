package io.hermod.testing;

import io.hermod.spool.Envelope;
import io.hermod.spool.Spool;
import io.hermod.spool.SpoolObserver;
import io.vertx.core.Future;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A collecting {@link SpoolObserver} for tests that want the recovered envelopes as a list: recovery hands them
 * to the observer one by one (the spool keeps none), this keeps them (and later changes) by id.
 */
public final class RecoveredEnvelopes implements SpoolObserver {

  private final Map<String, Envelope> byId = new ConcurrentHashMap<>();
  private final Map<String, Integer> storedCalls = new ConcurrentHashMap<>();

  /** Recovers {@code spool} with a new collector observing it; the envelopes in id order. */
  public static Future<List<Envelope>> recover(Spool spool) {
    RecoveredEnvelopes collector = new RecoveredEnvelopes();
    spool.observe(collector);
    return spool.recover().map(n -> collector.envelopes());
  }

  @Override
  public void stored(Envelope envelope) {
    byId.put(envelope.id(), envelope);
    storedCalls.merge(envelope.id(), 1, Integer::sum);
  }

  @Override
  public void removed(String id) {
    byId.remove(id);
  }

  /** The envelopes it holds now, in id (arrival) order. */
  public List<Envelope> envelopes() {
    return byId.values().stream().sorted(Comparator.comparing(Envelope::id)).toList();
  }

  /** How many times {@link #stored} was called for {@code id}. */
  public int storedCalls(String id) {
    return storedCalls.getOrDefault(id, 0);
  }
}
