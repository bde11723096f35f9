package io.hermod.queue;

import io.hermod.compact.IntColumn;
import io.hermod.spool.Envelope;
import io.hermod.spool.Recipient;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The domains of each slot's pending recipients, interned: the first inline in a column, any others in a side
 * map (bulk mail has one domain a message, so the map stays small). A slot with nothing pending has none.
 * Not thread-safe.
 */
final class PendingDomains {

  static final int NONE = -1;
  /** A HashMap node, the boxed slot and the array's header: the cost of a message with several domains. */
  private static final long SIDE_ENTRY_BYTES = 32 + 16 + 16;

  private final Interner names = new Interner();
  private final IntColumn first = new IntColumn(NONE);
  private final Map<Integer, int[]> more = new HashMap<>();

  /** Sets the slot's domains from the envelope's pending recipients (in RCPT order, each once). */
  void remember(int slot, Envelope envelope) {
    Set<String> pending = new LinkedHashSet<>();
    for (Recipient r : envelope.recipients()) {
      if (!r.state().isFinal()) {
        pending.add(domainOf(r.address()));
      }
    }
    int[] ids = pending.stream().mapToInt(names::acquire).toArray();
    first.set(slot, ids.length == 0 ? NONE : ids[0]);
    if (ids.length > 1) {
      more.put(slot, Arrays.copyOfRange(ids, 1, ids.length));
    }
  }

  void forget(int slot) {
    names.release(first.get(slot));
    first.set(slot, NONE);
    int[] others = more.remove(slot);
    if (others != null) {
      Arrays.stream(others).forEach(names::release);
    }
  }

  /** True when the slot has a recipient still to deliver. */
  boolean any(int slot) {
    return first.get(slot) != NONE;
  }

  void forEach(int slot, IntConsumer action) {
    int d = first.get(slot);
    if (d != NONE) {
      action.accept(d);
      int[] others = more.get(slot);
      if (others != null) {
        Arrays.stream(others).forEach(action);
      }
    }
  }

  boolean has(int slot, int id) {
    if (first.get(slot) == id) {
      return true;
    }
    int[] others = more.get(slot);
    return others != null && Arrays.stream(others).anyMatch(d -> d == id);
  }

  /** The id of a domain (any case), or NONE when no queued message has it. */
  int find(String domain) {
    return names.find(domain.toLowerCase(Locale.ROOT));
  }

  String name(int id) {
    return names.name(id);
  }

  long memoryBytes() {
    long side = more.values().stream().mapToLong(d -> SIDE_ENTRY_BYTES + 4L * d.length).sum();
    return first.memoryBytes() + side + names.memoryBytes();
  }

  /** The domain of an address as ops.MessageView has it: after the last '@', lower case, "" without one. */
  static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
  }
}
