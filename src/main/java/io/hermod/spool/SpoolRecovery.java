package io.hermod.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The start-up scan (blocking; runs on an I/O thread): the journal (see {@link JournalRecovery}), then the
 * big messages in queue/ (in id order), each recovered envelope handed to the observer. A big message is committed iff both
 * {@code queue/<id>.msg} and {@code queue/<id>.env} exist, because the envelope is renamed into queue/ last.
 * Everything else is the debris of a crash before the 250 and is deleted; an unreadable committed message
 * is moved to quarantine/ for a person to look at.
 */
final class SpoolRecovery {

  record Result(long messages, long bytes) {
  }

  private static final Logger LOG = Logger.getLogger("io.hermod.spool");

  private final SpoolFiles files;
  private final SpoolDirs dirs;
  private final Journal journal;
  private final SpoolObserver observer;
  private final Consumer<RecoveryProgress> progress;

  /** Every recovered envelope goes to {@code observer}; nothing here keeps them. */
  SpoolRecovery(SpoolFiles files, SpoolDirs dirs, Journal journal, SpoolObserver observer,
                Consumer<RecoveryProgress> progress) {
    this.files = files;
    this.dirs = dirs;
    this.journal = journal;
    this.observer = observer;
    this.progress = progress;
  }

  Result run() throws IOException {
    files.createDirectories(dirs.incoming());
    files.createDirectories(dirs.queue());
    files.createDirectories(dirs.quarantine());
    files.createDirectories(dirs.journal());
    int incomplete = 0;
    for (Path partial : files.list(dirs.incoming())) {
      files.delete(partial);
      incomplete++;
    }
    JournalRecovery.Result fromJournal = new JournalRecovery(files, dirs, journal, observer, progress).run();
    long messages = fromJournal.messages();
    long bytes = fromJournal.bytes();
    progress.accept(new RecoveryProgress("queue", messages, 0, 0));
    int quarantined = fromJournal.quarantined();
    for (Map.Entry<String, Path[]> entry : scanQueue().entrySet()) {
      String id = entry.getKey();
      Path msg = entry.getValue()[0];
      Path env = entry.getValue()[1];
      if (msg == null || env == null) {
        // .msg alone: the commit never finished. .env alone: a remove() or late update() was cut short.
        files.delete(msg != null ? msg : env);
        incomplete++;
        continue;
      }
      try {
        Envelope envelope = EnvelopeFile.read(files, env, id);
        long size = files.size(msg);
        if (size != envelope.size()) {
          throw new IllegalArgumentException("message file has " + size + " bytes, envelope says " + envelope.size());
        }
        Observing.stored(observer, envelope);
        messages++;
        bytes += size;
      } catch (IllegalArgumentException e) {
        files.move(msg, dirs.quarantine().resolve(msg.getFileName()));
        files.move(env, dirs.quarantine().resolve(env.getFileName()));
        LOG.warning("spool: quarantined message " + id + " (" + e.getMessage() + "); files moved to "
            + dirs.quarantine());
        quarantined++;
      }
    }
    files.forceDirectory(dirs.queue());
    files.forceDirectory(dirs.incoming());
    files.forceDirectory(dirs.journal());
    if (quarantined > 0) {
      files.forceDirectory(dirs.quarantine());
    }
    LOG.info("spool: recovered " + messages + " messages (" + bytes + " bytes; " + fromJournal.messages()
        + " in the journal), discarded " + incomplete + " incomplete and " + fromJournal.discardedBytes()
        + " bytes of unfinished journal appends, quarantined " + quarantined);
    return new Result(messages, bytes);
  }

  /** id → {message file, envelope file}, in id (= time) order. */
  private Map<String, Path[]> scanQueue() throws IOException {
    Map<String, Path[]> byId = new TreeMap<>();
    for (Path file : files.list(dirs.queue())) {
      String name = file.getFileName().toString();
      int dot = name.lastIndexOf('.');
      String id = dot < 0 ? "" : name.substring(0, dot);
      String suffix = dot < 0 ? "" : name.substring(dot);
      int slot = suffix.equals(SpoolDirs.MESSAGE) ? 0 : suffix.equals(SpoolDirs.ENVELOPE) ? 1 : -1;
      if (slot < 0 || !QueueIds.isValid(id)) {
        LOG.warning("spool: ignoring unexpected file " + file);
        continue;
      }
      byId.computeIfAbsent(id, k -> new Path[2])[slot] = file;
    }
    return byId;
  }
}
