package io.hermod.spool;

import java.nio.file.Path;

/** The spool's directories and file names (docs/spool.md). */
record SpoolDirs(Path root, Path incoming, Path queue, Path quarantine, Path journal) {

  static final String MESSAGE = ".msg";
  static final String ENVELOPE = ".env";
  static final String SEGMENT = ".log";

  static SpoolDirs under(Path root) {
    return new SpoolDirs(root, root.resolve("incoming"), root.resolve("queue"), root.resolve("quarantine"),
        root.resolve("journal"));
  }

  Path queuedMessage(String id) {
    return queue.resolve(id + MESSAGE);
  }

  Path queuedEnvelope(String id) {
    return queue.resolve(id + ENVELOPE);
  }

  Path incomingMessage(String id) {
    return incoming.resolve(id + MESSAGE);
  }

  /** A temporary envelope file; {@code tag} keeps concurrent writers of one id apart. */
  Path incomingEnvelope(String id, String tag) {
    return incoming.resolve(id + "." + tag + ".env.tmp");
  }

  /** Journal segment number {@code segment}: 16 hex digits, so that name order is number order. */
  Path segment(long segment) {
    // Not String.format: the router asks for a message's segment once per delivery (issue #17).
    String hex = Long.toHexString(segment);
    return journal.resolve("0".repeat(16 - hex.length()) + hex + SEGMENT);
  }

  /** The number of a segment file name, or -1 if it is not one. */
  static long segmentNumber(Path file) {
    String name = file.getFileName().toString();
    if (name.length() != 16 + SEGMENT.length() || !name.endsWith(SEGMENT)) {
      return -1;
    }
    try {
      return Long.parseUnsignedLong(name.substring(0, 16), 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
