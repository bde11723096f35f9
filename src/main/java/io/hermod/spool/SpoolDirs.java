package io.hermod.spool;

import java.nio.file.Path;

/** The spool's directories and file names (docs/spool.md). */
record SpoolDirs(Path root, Path incoming, Path queue, Path quarantine) {

  static final String MESSAGE = ".msg";
  static final String ENVELOPE = ".env";

  static SpoolDirs under(Path root) {
    return new SpoolDirs(root, root.resolve("incoming"), root.resolve("queue"), root.resolve("quarantine"));
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
}
