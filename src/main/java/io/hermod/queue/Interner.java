package io.hermod.queue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Strings (domains, sites) as small ints shared by all the messages that name them. Reference-counted: a
 * name no queued message holds any more is forgotten and its id reused, so a long tail of one-off domains
 * does not accumulate over months. Not thread-safe.
 */
final class Interner {

  /** Map node, table slot, boxed id, list entry and the String's own header: the cost of a name. */
  private static final long ENTRY_BYTES = 32 + 8 + 16 + 4 + 40;

  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  private int[] refs = new int[16];
  private int[] free = new int[16];
  private int freeCount;
  private long chars;

  /** The id of {@code name}, one more reference to it. */
  int acquire(String name) {
    Integer known = ids.get(name);
    int id;
    if (known != null) {
      id = known;
    } else {
      id = freeCount > 0 ? free[--freeCount] : names.size();
      if (id == names.size()) {
        names.add(name);
        if (id == refs.length) {
          refs = Arrays.copyOf(refs, id * 2);
        }
      } else {
        names.set(id, name);
      }
      ids.put(name, id);
      chars += name.length();
    }
    refs[id]++;
    return id;
  }

  /** Drops a reference taken by {@link #acquire}; ignores -1 (nothing). */
  void release(int id) {
    if (id < 0) {
      return;
    }
    if (--refs[id] == 0) {
      String name = names.set(id, null);
      ids.remove(name);
      chars -= name.length();
      if (freeCount == free.length) {
        free = Arrays.copyOf(free, freeCount * 2);
      }
      free[freeCount++] = id;
    }
  }

  /** The id of {@code name} without taking a reference, or -1 when no message holds it. */
  int find(String name) {
    Integer id = ids.get(name);
    return id == null ? -1 : id;
  }

  /** The name of {@code id}, or null for -1. */
  String name(int id) {
    return id < 0 ? null : names.get(id);
  }

  int size() {
    return ids.size();
  }

  long memoryBytes() {
    return ids.size() * ENTRY_BYTES + 2 * chars + 4L * (refs.length + free.length) + 4L * names.size();
  }
}
