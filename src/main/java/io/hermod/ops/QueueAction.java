package io.hermod.ops;

import java.util.Locale;

/** What an operator can do to a queued message, one at a time or in bulk (docs/operations.md). */
enum QueueAction {
  HOLD, RELEASE, FLUSH, BOUNCE, DELETE;

  /** From its lower-case name: 404 (an unknown operation) otherwise. */
  static QueueAction parse(String name) {
    for (QueueAction a : values()) {
      if (a.name().toLowerCase(Locale.ROOT).equals(name)) {
        return a;
      }
    }
    throw new AdminException(404, "no such queue operation: " + name);
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
